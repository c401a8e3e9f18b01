// The moderator's page: a dropped or chosen file goes to POST /v1/detect as its raw bytes; the JSON report is shown
// with the scan report's look (ReportHtml's classes and titles). No inline code, no eval, no other origin: the page's
// Content-Security-Policy allows none. Text from the report is set as text, never parsed as HTML.
'use strict';

/** What a moderator reads for each category: the same words as ReportHtml.title (a test keeps them equal). */
const TITLES = {
  label1: 'Label 1: AI-generated',
  label2: 'Label 2: possibly (declared)',
  label3: 'Label 3: suspected',
  error: 'unreadable',
  unchecked: 'not fully checked (pixels unreadable)',
  none: 'no label'
};
const CLASSES = { label1: 'v1', label2: 'v2', label3: 'v3', error: 'error', unchecked: 'error', none: 'none' };
const RECORD_FIELDS = ['Label', 'ContentProducer', 'ProduceID', 'ContentPropagator', 'PropagateID'];

let apiKey = null;      // kept in this page's memory only: never stored, never put in a URL
let pending = null;     // the file waiting for a key
let preview = null;     // the object URL of the shown preview

const $ = (id) => document.getElementById(id);

function category(report) {
  if (report.error !== undefined) return 'error';
  const label = report.verdict && report.verdict.label;
  if (label === null || label === undefined) {
    return report.verdict && report.verdict.rule === 'unchecked' ? 'unchecked' : 'none';
  }
  return 'label' + label;
}

function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (cls) e.className = cls;
  return e;
}

function code(text) {
  return el('code', text);
}

function setState(state, message, failed) {
  document.body.dataset.state = state;
  const s = $('status');
  s.textContent = message || '';
  s.className = failed ? 'failed' : '';
}

function records(list, report) {
  for (const l of report.labels || []) {
    const li = el('li');
    li.append('record ', code(l.source || '?'));
    if (l.signature && l.signature !== 'absent') li.append(' (signature ' + l.signature + ')');
    li.append(':');
    for (const f of RECORD_FIELDS) {
      li.append(' ' + f + '=', code(l[f] === undefined || l[f] === null ? '' : l[f]));
    }
    if (l.producerCode && l.producerCode.listedAs) {
      li.append('; producer listed as ' + l.producerCode.listedAs + ' (public list, not verified)');
    }
    list.append(li);
    for (const p of l.problems || []) list.append(el('li', 'record problem: ' + p, 'bad'));
  }
}

function watermark(list, w) {
  if (!w || !w.detected) return;
  const li = el('li');
  li.append('watermark found');
  if (w.payload !== undefined && w.payload !== null) li.append(', payload ', code(w.payload));
  if (w.segments !== undefined && w.segments !== null) li.append(', in ' + w.segments + ' video segments');
  if (w.matchesLabel !== undefined) {
    if (w.matchesLabel) {
      li.append('; matches the label');
    } else {
      li.append('; ', el('span', 'does NOT match the label', 'bad'), ' (the record may be forged or swapped)');
    }
  }
  list.append(li);
}

function render(report, file) {
  const cat = category(report);
  const verdict = $('verdict');
  verdict.textContent = TITLES[cat];
  verdict.className = 'verdict tag ' + CLASSES[cat];
  $('reason').textContent = report.verdict ? report.verdict.reason || '' : '';
  $('row').className = CLASSES[cat];

  const cell = $('preview');
  cell.replaceChildren();
  if (preview) URL.revokeObjectURL(preview);
  preview = null;
  if (file.type && file.type.startsWith('image/')) {
    preview = URL.createObjectURL(file);
    const img = el('img');
    img.alt = 'preview';
    img.src = preview;
    cell.append(img);
  }
  $('file-cell').replaceChildren(code(report.file), el('br'), report.format || '');
  $('verdict-cell').replaceChildren(el('span', TITLES[cat], 'tag'), el('br'), report.verdict ? report.verdict.reason || '' : '');

  const list = $('evidence');
  list.replaceChildren();
  records(list, report);
  watermark(list, report.watermark);
  for (const e of report.evidence || []) {
    const li = el('li');
    li.append('[' + e.strength + '] ', code(e.source), ' ' + e.summary);
    list.append(li);
  }
  for (const p of report.problems || []) list.append(el('li', 'problem: ' + p));
  $('result').hidden = false;
}

async function check(file) {
  pending = null;
  $('result').hidden = true;
  setState('busy', 'Checking ' + file.name + ' (' + file.size + ' bytes)…');
  const headers = { 'Content-Type': 'application/octet-stream' };
  if (apiKey) headers.Authorization = 'Bearer ' + apiKey;
  let response;
  try {
    response = await fetch('v1/detect?name=' + encodeURIComponent(file.name || 'upload'), {
      method: 'POST', headers, body: file, credentials: 'omit', cache: 'no-store'
    });
  } catch (e) {
    setState('error', 'The service could not be reached: ' + e.message, true);
    return;
  }
  let body = null;
  try {
    body = await response.json();
  } catch (e) {
    body = { error: 'the answer was not JSON (HTTP ' + response.status + ')' };
  }
  if (response.status === 401) {
    pending = file;
    apiKey = null;
    $('key-form').hidden = false;
    $('key').focus();
    setState('key', body.error || 'An API key is required.', true);
    return;
  }
  if (!response.ok) {
    setState('error', 'HTTP ' + response.status + ': ' + (body.error || '') + (body.reason ? ' (' + body.reason + ')' : ''), true);
    return;
  }
  render(body, file);
  setState('done', 'Checked ' + file.name + '.');
}

function chosen(files) {
  if (files && files.length > 0) check(files[0]);
}

document.addEventListener('DOMContentLoaded', () => {
  const drop = $('drop');
  const input = $('file');
  input.addEventListener('change', () => chosen(input.files));
  drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    chosen(e.dataTransfer.files);
  });
  // a file dropped beside the zone must not replace the page
  window.addEventListener('dragover', (e) => e.preventDefault());
  window.addEventListener('drop', (e) => e.preventDefault());
  $('key-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const value = $('key').value.trim();
    if (!value) return;
    apiKey = value;
    $('key').value = '';
    $('key-form').hidden = true;
    if (pending) check(pending);
  });
});
