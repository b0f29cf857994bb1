/**
 * An in-process SMTP server for tests of what the product e-mails: it keeps every message it
 * receives, by recipient, raw (the test decodes what it needs).
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface Received {
  to: string[];
  raw: string;
}

export class Inbox {
  readonly mails: Received[] = [];
  private server: SMTPServer | undefined;
  port = 0;

  /** `login`: the user name and password the server wants (SMTP AUTH); without it, AUTH is off. */
  constructor(private readonly login?: { user: string; password: string }) {}

  /** Listens on a free port the first time, then on the same one again, so a test can stop the server (an outage) and start it where the app expects it. */
  async start(): Promise<void> {
    const login = this.login;
    const server = new SMTPServer({
      disabledCommands: login ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
      ...(login && {
        allowInsecureAuth: true,
        onAuth: (auth, _session, cb) => (auth.username === login.user && auth.password === login.password ? cb(null, { user: login.user }) : cb(new Error('Invalid username or password'))),
      }),
      logger: false,
      onData: (stream, session, cb) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          this.mails.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
          cb();
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.server.address() as AddressInfo).port;
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** The messages to an address (the case of an address does not matter, as in mail). */
  to(address: string): Received[] {
    return this.mails.filter((m) => m.to.some((to) => to.toLowerCase() === address.toLowerCase()));
  }
}
