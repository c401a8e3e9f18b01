import java.util.*;
import org.aigcmark.key.WatermarkKey;
import org.aigcmark.text.*;
import org.aigcmark.text.watermark.*;
/**
 * The text watermark's costs by the calling thread's CPU time (steadier than JMH's wall time on a shared machine):
 * the KGW step over 150k logits against adding a precomputed bias vector, and the streaming labeller per token
 * against passing the chunks on. Batches, interleaved, medians of the last 20 of 40 rounds. Run:
 * {@code java --add-modules jdk.incubator.vector -cp bench/target/aigcmark-bench.jar bench/tools/TextCost.java}
 */
public class TextCost {
  static final java.lang.management.ThreadMXBean CPU = java.lang.management.ManagementFactory.getThreadMXBean();
  static float fs; static int is;
  public static void main(String[] a) {
    int V = 150_000;
    WatermarkLogitsProcessor kgw = new WatermarkLogitsProcessor(WatermarkKey.fromPassphrase("bench"), WatermarkConfig.KGW_DEFAULT);
    SplittableRandom r = new SplittableRandom(1);
    float[] logits = new float[V]; float[] bias = new float[V];
    for (int i = 0; i < V; i++) { logits[i] = (float) r.nextGaussian(); bias[i] = r.nextInt(4) == 0 ? 2f : 0f; }
    int[] prev = new int[64]; for (int i = 0; i < 64; i++) prev[i] = r.nextInt(V);
    String[] pieces = {"人工", "智能", "生成", "的", " content", " is", ",", " labelled", "。", "内容"};
    String[] chunks = new String[1000]; for (int i = 0; i < 1000; i++) chunks[i] = pieces[i % 10];
    Map<String, List<Double>> t = new LinkedHashMap<>();
    int[] step = {0};
    for (int round = 0; round < 40; round++) {
      time(t, "kgwStep150k", 200, () -> { prev[63] = step[0]++ & 0xFFFF; kgw.process(logits, prev, 64); fs += logits[7]; });
      time(t, "addBias150k", 200, () -> { for (int i = 0; i < V; i++) logits[i] += bias[i]; fs += logits[7]; });
      time(t, "streamPerToken", 20, () -> { StreamingLabeler l = new StreamingLabeler(ExplicitTextLabel.defaults(TextLanguage.ZH), LabelPosition.BOTH);
          for (String c : chunks) is += l.onChunk(c).length(); is += l.finish().length(); });
      time(t, "passPerToken", 20, () -> { for (String c : chunks) is += new StringBuilder(c.length() + 32).append(c).toString().length(); });
    }
    for (var e : t.entrySet()) {
      List<Double> v = new ArrayList<>(e.getValue().subList(20, 40)); Collections.sort(v);
      double m = v.get(v.size() / 2); if (e.getKey().endsWith("PerToken")) m /= 1000;
      System.out.printf("%-15s %9.3f us%n", e.getKey(), m);
    }
    System.out.println(fs + is);
  }
  static void time(Map<String, List<Double>> t, String k, int n, Runnable r) {
    long c = CPU.getCurrentThreadCpuTime();
    for (int i = 0; i < n; i++) r.run();
    t.computeIfAbsent(k, x -> new ArrayList<>()).add((CPU.getCurrentThreadCpuTime() - c) / 1e3 / n);
  }
}
