/** What each kind of target receives, built from one stored message. Pure. */

/** A notification's message as stored in its payload column. */
export interface StoredMessage {
  title: string;
  text: string;
  url: string | null;
  data: Record<string, unknown>;
}

export interface WebhookEnvelope {
  /** The notification id: the same on every retry (receivers dedupe on it). */
  id: string;
  event: string;
  createdAt: string;
  workspaceId: string;
  taskId: string | null;
  title: string;
  text: string;
  url: string | null;
  data: Record<string, unknown>;
}

export function webhookBody(n: { id: string; workspaceId: string; event: string; createdAt: number; taskId: string | null }, m: StoredMessage): WebhookEnvelope {
  return {
    id: n.id,
    event: n.event,
    createdAt: new Date(n.createdAt).toISOString(),
    workspaceId: n.workspaceId,
    taskId: n.taskId,
    title: m.title,
    text: m.text,
    url: m.url,
    data: m.data,
  };
}

/** Slack's three control characters; everything else is literal in mrkdwn. */
const slackEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const cut = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

export interface SlackMessage {
  text: string;
  blocks: Record<string, unknown>[];
}

/**
 * An incoming-webhook message (Slack, and the Slack-compatible endpoints of Mattermost,
 * Rocket.Chat, Discord's /slack): `text` is the notification fallback, `blocks` the layout.
 */
export function slackBody(m: StoredMessage): SlackMessage {
  const title = cut(slackEscape(m.title), 150);
  const text = cut(slackEscape(m.text), 2800);
  const link = m.url && /^https?:\/\//i.test(m.url) ? m.url : null;
  const blocks: Record<string, unknown>[] = [{ type: 'section', text: { type: 'mrkdwn', text: `*${title}*${text ? `\n${text}` : ''}` } }];
  if (link) {
    blocks.push({ type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open in Empty Chair' }, url: link }] });
  }
  return { text: `${title}${text ? ` — ${text}` : ''}${link ? ` <${link}|Open>` : ''}`.slice(0, 3000), blocks };
}

const html = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

export function emailContent(m: StoredMessage): { subject: string; text: string; html: string } {
  const subject = cut(m.title.replace(/[\r\n]+/g, ' '), 200);
  const link = m.url && /^https?:\/\//i.test(m.url) ? m.url : null;
  const text = `${m.text}${link ? `\n\n${link}` : ''}\n\n— Empty Chair`;
  const body = [
    `<h2 style="font-family:sans-serif">${html(m.title)}</h2>`,
    `<p style="font-family:sans-serif;white-space:pre-wrap">${html(m.text)}</p>`,
    link ? `<p style="font-family:sans-serif"><a href="${html(link)}">Open in Empty Chair</a></p>` : '',
  ].join('\n');
  return { subject, text, html: `<!doctype html><html><body>${body}</body></html>` };
}
