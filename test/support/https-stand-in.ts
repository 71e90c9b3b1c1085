import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generate } from 'selfsigned';

/** A host name that exists in no DNS: only a pinned test resolver can lead a client to the stand-in. */
export const STAND_IN_HOST = 'hooks.slack.test';

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

type Handler = (request: ReceivedRequest, response: ServerResponse) => void;

const answerOk: Handler = (_request, response) => response.end('ok');

/** A local HTTPS server on 127.0.0.1 with a fresh self-signed certificate for STAND_IN_HOST. */
export class HttpsStandIn {
  readonly received: ReceivedRequest[] = [];
  /** How the next requests are answered (default: 200 "ok"). */
  handler: Handler = answerOk;
  /** The certificate, to trust it explicitly (`ca`). */
  ca = '';
  port = 0;
  private server?: Server;

  async start(): Promise<this> {
    const pems = await generate([{ name: 'commonName', value: STAND_IN_HOST }], {
      keyType: 'ec',
      algorithm: 'sha256',
      extensions: [
        {
          name: 'subjectAltName',
          altNames: [
            { type: 2, value: STAND_IN_HOST },
            { type: 7, ip: '127.0.0.1' },
          ],
        },
      ],
    });
    this.ca = pems.cert;
    this.server = createServer({ key: pems.private, cert: pems.cert }, (incoming, response) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const request = { method: incoming.method ?? '', path: incoming.url ?? '', headers: incoming.headers, body };
        this.received.push(request);
        this.handler(request, response);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  url(path = '/services/T000/B000/XXXX', host = STAND_IN_HOST): string {
    return `https://${host}:${this.port}${path}`;
  }

  reset(): void {
    this.received.length = 0;
    this.handler = answerOk;
  }

  stop(): Promise<void> {
    this.server?.closeAllConnections();
    return new Promise((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}
