package org.aigcmark.text;

/** The language of a text, for choosing the default label wording. */
public enum TextLanguage {
    ZH, EN;

    /**
     * Chinese when Han characters make up at least 20% of the letters (Han plus Latin), else English. Looks at the
     * first 4,000 code points only, so it is cheap on long texts.
     */
    public static TextLanguage detect(CharSequence text) {
        int han = 0;
        int latin = 0;
        int seen = 0;
        for (int i = 0; i < text.length() && seen < 4000; ) {
            int cp = Character.codePointAt(text, i);
            i += Character.charCount(cp);
            seen++;
            Character.UnicodeScript s = Character.UnicodeScript.of(cp);
            if (s == Character.UnicodeScript.HAN) {
                han++;
            } else if (s == Character.UnicodeScript.LATIN && Character.isLetter(cp)) {
                latin++;
            }
        }
        return han > 0 && han * 5 >= (han + latin) ? ZH : EN;
    }
}
