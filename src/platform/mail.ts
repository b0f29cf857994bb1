/**
 * Sending e-mail over SMTP (nodemailer). The SMTP URL carries credentials: they never reach
 * a delivery's reason, a job's last error or a log line (see `redactSecrets`).
 */
import { createTransport, type Transporter } from 'nodemailer';

export interface MailSettings {
  /** smtp://user:pass@host:587 (STARTTLS when offered) or smtps://…:465 (TLS). */
  smtpUrl?: string | undefined;
  /** The From address: "Acme Support <surveys@acme.com>" or a bare address. */
  mailFrom?: string | undefined;
}

export interface OutgoingMail {
  from: string | { name: string; address: string };
  to: string;
  subject: string;
  html: string;
  text: string;
  /** Stable per delivery: a duplicate send after a crash carries the same id, and clients fold them. */
  messageId: string;
  headers?: Record<string, string>;
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

/** An error whose message is safe to store and log. */
export class MailError extends Error {
  constructor(
    message: string,
    /** True when trying again cannot help (a recipient the server refuses for good). */
    readonly permanent = false,
  ) {
    super(message);
    this.name = 'MailError';
  }
}

/** The secrets an SMTP URL holds, as they may appear in an error message. */
function secretsOf(smtpUrl: string | undefined): string[] {
  if (!smtpUrl) return [];
  const out = new Set<string>();
  try {
    const u = new URL(smtpUrl);
    for (const s of [u.password, u.username]) {
      if (!s) continue;
      out.add(s);
      try {
        out.add(decodeURIComponent(s));
      } catch {
        // keep the raw form only
      }
    }
  } catch {
    // not a URL: nothing to extract
  }
  return [...out].filter((s) => s.length >= 2).sort((a, b) => b.length - a.length);
}

/** The text with any credentials of the SMTP URL (and any user:pass@ in a URL) blanked out. */
export function redactSecrets(text: string, smtpUrl: string | undefined): string {
  let out = text.replace(/(\w+:\/\/)[^/\s@]*@/g, '$1***@');
  for (const s of secretsOf(smtpUrl)) out = out.split(s).join('***');
  // Base64 of "\0user\0pass" or of the password (AUTH PLAIN/LOGIN) echoed in a server reply.
  for (const s of secretsOf(smtpUrl)) out = out.split(Buffer.from(s).toString('base64')).join('***');
  return out.length > 500 ? `${out.slice(0, 499)}…` : out;
}

/** The SMTP host and port, for logs (no credentials). */
export function smtpTarget(smtpUrl: string): string {
  try {
    const u = new URL(smtpUrl);
    return `${u.protocol}//${u.host}`;
  } catch {
    return 'smtp (unparsable URL)';
  }
}

interface SmtpLikeError {
  message?: unknown;
  code?: unknown;
  responseCode?: unknown;
}

/** A nodemailer error as a short, credential-free reason; 5xx replies to the recipient are permanent. */
export function mailErrorOf(error: unknown, smtpUrl: string | undefined): MailError {
  const e = (typeof error === 'object' && error !== null ? error : { message: String(error) }) as SmtpLikeError;
  const code = typeof e.code === 'string' ? e.code : undefined;
  const status = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  const message = typeof e.message === 'string' ? e.message : 'unknown error';
  const text = redactSecrets([code, status, message].filter((x) => x !== undefined).join(' '), smtpUrl);
  // A refused recipient (550, 553 …) will be refused again; auth and connection faults may heal.
  const permanent = code === 'EENVELOPE' && status !== undefined && status >= 500;
  return new MailError(`smtp: ${text}`, permanent);
}

export function smtpMailer(smtpUrl: string): Mailer {
  const transport: Transporter = createTransport({
    url: smtpUrl,
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 60_000,
    logger: false,
    debug: false,
  });
  return {
    async send(mail) {
      try {
        await transport.sendMail({ ...mail, ...(mail.headers ? { headers: mail.headers } : {}) });
      } catch (error) {
        throw mailErrorOf(error, smtpUrl);
      }
    },
    close() {
      transport.close();
    },
  };
}
