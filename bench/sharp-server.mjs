// The Node.js service the HTTP benchmark compares with: a minimal server around sharp doing W1's
// work (POST an image to /process?w=&h=&q=, get a JPEG fitting inside w x h back), with sharp's
// defaults as people run it (its thread pool as large as the machine, libvips's cache on).
//   node bench/sharp-server.mjs PORT      (binds 127.0.0.1)

import { createServer } from 'node:http';
import sharp from 'sharp';

const port = Number(process.argv[2] ?? 18482);

createServer((request, response) => {
  const url = new URL(request.url, 'http://localhost');
  if (request.method === 'GET' && url.pathname === '/health') {
    response.end('{"status":"ok"}');
    return;
  }
  if (request.method !== 'POST' || url.pathname !== '/process') {
    response.writeHead(404).end();
    return;
  }
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', async () => {
    const number = (name, fallback) => Number(url.searchParams.get(name) ?? fallback);
    try {
      const out = await sharp(Buffer.concat(chunks))
        .rotate()
        .resize(number('w', 720), number('h', 588), { fit: 'inside', withoutEnlargement: true })
        .jpeg({ quality: number('q', 80) })
        .toBuffer();
      response.writeHead(200, { 'content-type': 'image/jpeg' }).end(out);
    } catch (error) {
      response.writeHead(422, { 'content-type': 'application/json' }).end(JSON.stringify({ error: String(error) }));
    }
  });
}).listen(port, '127.0.0.1');
