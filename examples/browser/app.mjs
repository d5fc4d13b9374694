// The browser example: the npm package's ES module (the Node example's), run client-side. The
// page's import map says where `imgpipe` is: the source tree's example, or an installed package.
import { ImgpipeError, names, process } from 'imgpipe';

const $ = (id) => document.getElementById(id);
// The formats the component writes, from its own WIT.
for (const format of names.OutputFormat) $('format').add(new Option(format, format));
$('go').disabled = false;
$('status').textContent = 'ready';

$('form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const file = $('file').files[0];
  if (!file) return;
  const options = { format: $('format').value };
  for (const [id, name] of [['w', 'maxWidth'], ['h', 'maxHeight'], ['q', 'quality']]) {
    if ($(id).value) options[name] = Number($(id).value);
  }
  $('status').className = '';
  $('status').textContent = 'processing…';
  const input = new Uint8Array(await file.arrayBuffer());
  // Let the status paint before the synchronous call (a Web Worker would keep the page live).
  await new Promise((resolve) => setTimeout(resolve, 0));
  try {
    const started = performance.now();
    const out = process(input, options);
    const ms = performance.now() - started;
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', out.image));
    $('sha256').textContent = [...digest].map((b) => b.toString(16).padStart(2, '0')).join('');
    if ($('result').src.startsWith('blob:')) URL.revokeObjectURL($('result').src);
    $('result').src = URL.createObjectURL(new Blob([out.image], { type: out.mimeType }));
    $('info').textContent = `${out.width}x${out.height} ${out.mimeType}, ${out.image.length} bytes in ${ms.toFixed(1)} ms`;
    $('status').textContent = 'done';
  } catch (e) {
    $('status').className = 'error';
    $('status').textContent = e instanceof ImgpipeError ? `${e.case}: ${e.message}` : String(e);
  }
});
