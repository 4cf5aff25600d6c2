/**
 * Hostile and broken requests on real sockets against the real server (issue 12, items 9 and 10): malformed
 * multipart bodies, stalled uploads, too many uploads at once, and guessed tokens.
 */
import { readdir } from 'node:fs/promises';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type Served } from './harness.js';

let server: Served;

beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.stop();
});

interface RawAnswer {
  status: number;
  body: string;
}

/** One request written byte for byte on its own socket (fetch would fix a broken body up or refuse to send it). */
function rawRequest(url: string, head: string, body: string): Promise<RawAnswer> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => {
      socket.write(`${head}\r\nHost: ${hostname}:${port}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
    });
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (text += chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
      resolve({ status, body: text.slice(text.indexOf('\r\n\r\n') + 4) });
    });
  });
}

const errorCode = (answer: RawAnswer) => (JSON.parse(answer.body) as { error: { code: string } }).error.code;
const part = (boundary: string) => `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\n2025年收入合计100万元。`;

describe('malformed multipart', () => {
  const post = (contentType: string, body: string) => rawRequest(server.url, `POST /api/documents HTTP/1.1\r\nContent-Type: ${contentType}`, body);

  it('answers 400 E_MULTIPART, not 500, and keeps nothing of it', async () => {
    const cases = {
      'no closing boundary': await post('multipart/form-data; boundary=XYZ', part('XYZ')),
      'a closing boundary but the part not closed': await post('multipart/form-data; boundary=XYZ', `${part('XYZ')}--XYZ`),
      'another boundary than declared': await post('multipart/form-data; boundary=XYZ', `${part('OTHER')}\r\n--OTHER--\r\n`),
      'no boundary declared': await post('multipart/form-data', `${part('XYZ')}\r\n--XYZ--\r\n`),
    };
    for (const [name, answer] of Object.entries(cases)) {
      expect(answer.status, name).toBe(400);
      expect(errorCode(answer), name).toBe('E_MULTIPART');
      expect(answer.body, name).toMatch(/[\u4e00-\u9fff]/);
    }
    expect(await readdir(server.uploadDir).catch(() => [])).toEqual([]);
  });

  it('still takes a well-formed upload sent the same way', async () => {
    const answer = await post('multipart/form-data; boundary=XYZ', `${part('XYZ')}\r\n--XYZ--\r\n`);
    expect(answer.status).toBe(200);
  });
});
