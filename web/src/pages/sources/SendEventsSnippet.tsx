import { Button, Code, CopyButton, Group, Stack, Tabs, Text } from '@mantine/core';

const PLACEHOLDER = '<writeKey>';

/** Quote a string for a POSIX shell (single quotes). */
function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

function snippets(writeKey: string | undefined, origin: string) {
  const key = writeKey ?? PLACEHOLDER;
  const url = new URL(origin);
  const hostAndPort = url.host;
  const protocol = url.protocol.replace(':', '');
  const curlKey = writeKey ? shellQuote(`${writeKey}:`) : `${PLACEHOLDER}:`;
  return {
    curl: [
      `curl -u ${curlKey} -H 'content-type: application/json' \\`,
      `  ${origin}/v1/track \\`,
      `  -d '{"userId":"u1","event":"Signed Up"}'`,
    ].join('\n'),
    node: [
      `import { Analytics } from '@segment/analytics-node';`,
      ``,
      `const analytics = new Analytics({`,
      `  writeKey: ${JSON.stringify(key)},`,
      `  host: ${JSON.stringify(origin)},`,
      `});`,
      `analytics.track({ userId: 'u1', event: 'Signed Up' });`,
    ].join('\n'),
    browser: [
      `import { AnalyticsBrowser } from '@segment/analytics-next';`,
      ``,
      `export const analytics = AnalyticsBrowser.load(`,
      `  {`,
      `    writeKey: ${JSON.stringify(key)},`,
      `    // No Segment CDN: send straight to Empty Chair.`,
      `    cdnSettings: { integrations: { 'Segment.io': { apiKey: ${JSON.stringify(key)} } } },`,
      `  },`,
      `  { integrations: { 'Segment.io': { apiHost: ${JSON.stringify(`${hostAndPort}/v1`)}, protocol: ${JSON.stringify(protocol)} } } },`,
      `);`,
      `analytics.track('Signed Up');`,
    ].join('\n'),
  };
}

function SnippetBlock({ code, label }: { code: string; label: string }) {
  return (
    <Stack gap={6}>
      <Code block className="ec-json" aria-label={label}>
        {code}
      </Code>
      <Group justify="flex-end">
        <CopyButton value={code}>
          {({ copied, copy }) => (
            <Button size="xs" variant={copied ? 'light' : 'default'} color={copied ? 'teal' : undefined} onClick={copy}>
              {copied ? 'Copied' : 'Copy'}
            </Button>
          )}
        </CopyButton>
      </Group>
    </Stack>
  );
}

/**
 * How to send events to this server: curl, analytics-node and analytics.js. Shows the
 * `<writeKey>` placeholder unless a (just created) key is passed in.
 */
export function SendEventsSnippet({ writeKey }: { writeKey?: string }) {
  const origin = window.location.origin;
  const s = snippets(writeKey, origin);
  return (
    <Tabs defaultValue="curl" variant="pills" radius="md">
      <Tabs.List mb="xs">
        <Tabs.Tab value="curl">curl</Tabs.Tab>
        <Tabs.Tab value="node">analytics-node</Tabs.Tab>
        <Tabs.Tab value="browser">analytics.js</Tabs.Tab>
      </Tabs.List>
      <Tabs.Panel value="curl">
        <Text size="xs" c="dimmed" mb={6}>
          HTTP Basic authentication with the write key as user name and an empty password; the Segment tracking API
          (<Code>/v1/identify</Code>, <Code>/v1/track</Code>, <Code>/v1/page</Code>, <Code>/v1/screen</Code>,{' '}
          <Code>/v1/group</Code>, <Code>/v1/alias</Code> and <Code>/v1/batch</Code>).
        </Text>
        <SnippetBlock code={s.curl} label="Send an event with curl" />
      </Tabs.Panel>
      <Tabs.Panel value="node">
        <Text size="xs" c="dimmed" mb={6}>
          Segment&apos;s Node.js library: point <Code>host</Code> at this server.
        </Text>
        <SnippetBlock code={s.node} label="Send an event with analytics-node" />
      </Tabs.Panel>
      <Tabs.Panel value="browser">
        <Text size="xs" c="dimmed" mb={6}>
          Segment&apos;s browser library: set the Segment.io integration&apos;s <Code>apiHost</Code> to this server.
        </Text>
        <SnippetBlock code={s.browser} label="Send an event with analytics.js" />
      </Tabs.Panel>
    </Tabs>
  );
}
