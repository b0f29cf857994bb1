import {
  Alert,
  Anchor,
  Badge,
  Button,
  FileInput,
  Group,
  JsonInput,
  Loader,
  Paper,
  Progress,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  Tooltip,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState, type FormEvent } from 'react';
import { errorMessage } from '../../api/client';
import { api } from '../../api/endpoints';
import { roleAtLeast } from '../../api/roles';
import { IMPORT_KINDS, type ImportKind, type ImportStatus, type ImportView } from '../../api/types';
import { formatDateTime, formatRelative } from '../../components/format';
import { IconDownload, IconUpload } from '../../components/icons';
import { TableSection } from '../../components/TableSection';
import { useWorkspace } from '../../components/workspace';

const nf = new Intl.NumberFormat();

const KIND_LABEL: Record<ImportKind, string> = {
  contacts: 'Contacts',
  accounts: 'Accounts',
  orders: 'Orders',
  subscriptions: 'Subscriptions',
  tickets: 'Tickets',
};

/** Singular or plural kind ("contact", "contacts") → "Contacts". */
export function kindLabel(kind: string): string {
  const k = kind.toLowerCase();
  return KIND_LABEL[k as ImportKind] ?? KIND_LABEL[`${k}s` as ImportKind] ?? kind;
}

const STATUS: Record<ImportStatus, { label: string; color: string }> = {
  running: { label: 'Running', color: 'blue' },
  succeeded: { label: 'Succeeded', color: 'teal' },
  failed: { label: 'Failed', color: 'red' },
};

const ACCEPTED = /\.(csv|jsonl|ndjson)$/i;

/** Checks the optional mapping: empty, or a JSON object of strings. Returns an error message or null. */
export function mappingError(text: string): string | null {
  if (!text.trim()) return null;
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch {
    return 'The mapping is not valid JSON.';
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return 'The mapping must be a JSON object, e.g. {"email": "E-mail Address"}.';
  }
  for (const v of Object.values(value)) {
    if (typeof v !== 'string') return 'Every value in the mapping must be a string.';
  }
  return null;
}

function ImportForm({ workspaceId }: { workspaceId: string }) {
  const qc = useQueryClient();
  const [kind, setKind] = useState<ImportKind>('contacts');
  const [source, setSource] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [mapping, setMapping] = useState('');
  const [progress, setProgress] = useState(0);
  const [result, setResult] = useState<ImportView | null>(null);
  const abort = useRef<AbortController | null>(null);

  const fileError = file && !ACCEPTED.test(file.name) ? 'Choose a .csv, .jsonl or .ndjson file.' : null;
  const mapError = mappingError(mapping);

  const upload = useMutation({
    mutationFn: (input: { kind: ImportKind; source: string; file: File; mapping: string }) => {
      abort.current = new AbortController();
      setProgress(0);
      return api.createImport(
        workspaceId,
        { kind: input.kind, source: input.source, file: input.file, mapping: input.mapping.trim() || undefined },
        { onProgress: setProgress, signal: abort.current.signal },
      );
    },
    onSuccess: ({ import: imp }) => {
      setResult(imp);
      setFile(null);
      void qc.invalidateQueries({ queryKey: ['imports', workspaceId] });
      void qc.invalidateQueries({ queryKey: ['overview', workspaceId] });
    },
    onSettled: () => {
      abort.current = null;
      // The history shows the import either way (a failed file is recorded too).
      void qc.invalidateQueries({ queryKey: ['imports', workspaceId] });
    },
  });

  const canSubmit = !!file && !fileError && !!source.trim() && !mapError && !upload.isPending;
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (!file || !canSubmit) return;
    setResult(null);
    upload.mutate({ kind, source: source.trim(), file, mapping });
  };
  const cancelled = upload.error instanceof DOMException && upload.error.name === 'AbortError';
  const processing = upload.isPending && progress >= 1;

  return (
    <Paper withBorder radius="md" p="lg">
      <form onSubmit={onSubmit} aria-label="Import a file">
        <Stack gap="sm">
          <div>
            <Title order={2} fz="lg">
              Import a file
            </Title>
            <Text size="sm" c="dimmed">
              Contacts, accounts, orders, subscriptions or tickets: a CSV (with a header row) or JSON Lines export
              from your CRM, billing or support desk.
            </Text>
          </div>
          <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
            <Select
              label="Kind"
              description="What each row is"
              data={IMPORT_KINDS.map((k) => ({ value: k, label: KIND_LABEL[k] }))}
              value={kind}
              onChange={(v) => v && setKind(v as ImportKind)}
              allowDeselect={false}
              disabled={upload.isPending}
            />
            <TextInput
              label="Source name"
              description="e.g. hubspot, stripe, zendesk"
              placeholder="hubspot"
              required
              value={source}
              onChange={(e) => setSource(e.currentTarget.value)}
              disabled={upload.isPending}
            />
            <FileInput
              label="File"
              description=".csv, .jsonl or .ndjson"
              placeholder="Choose a file"
              accept=".csv,.jsonl,.ndjson"
              required
              clearable
              value={file}
              onChange={(f) => {
                setFile(f);
                setResult(null);
              }}
              error={fileError}
              disabled={upload.isPending}
              leftSection={<IconUpload size={16} />}
            />
          </SimpleGrid>
          <JsonInput
            label="Column mapping (optional)"
            description="A JSON object from Empty Chair fields to the file's columns. Unmapped fields are guessed from the headers."
            placeholder={'{\n  "email": "E-mail Address",\n  "name": "Full Name"\n}'}
            autosize
            minRows={3}
            maxRows={10}
            value={mapping}
            onChange={setMapping}
            error={mapError}
            disabled={upload.isPending}
          />

          {upload.isPending && (
            <Stack gap={4} role="status" aria-live="polite">
              <Progress
                value={processing ? 100 : Math.round(progress * 100)}
                striped={processing}
                animated={processing}
                aria-label="Upload progress"
              />
              <Group gap={6}>
                {processing && <Loader size={12} />}
                <Text size="xs" c="dimmed">
                  {processing ? 'Uploaded. Importing rows…' : `Uploading… ${Math.round(progress * 100)}%`}
                </Text>
              </Group>
            </Stack>
          )}
          {upload.isError && !cancelled && (
            <Alert color="red" role="alert" title="The import failed">
              {errorMessage(upload.error)}
            </Alert>
          )}
          {result && (
            <Alert
              color={result.status === 'failed' ? 'red' : result.rowsFailed > 0 ? 'yellow' : 'teal'}
              role="status"
              title={result.status === 'failed' ? 'Import failed' : 'Import finished'}
              withCloseButton
              onClose={() => setResult(null)}
            >
              {result.fileName}: {nf.format(result.rowsImported)} of {nf.format(result.rowsRead)} rows imported
              {result.rowsFailed > 0
                ? `, ${nf.format(result.rowsFailed)} failed — see the error report below.`
                : reportEntries(result) > 0
                  ? '. Some values were not read — see the notes in the import history below.'
                  : '.'}
            </Alert>
          )}

          <Group justify="flex-end">
            {upload.isPending && (
              <Button variant="default" onClick={() => abort.current?.abort()} disabled={processing}>
                Cancel
              </Button>
            )}
            <Button type="submit" loading={upload.isPending} disabled={!canSubmit} leftSection={<IconUpload size={16} />}>
              Upload
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

/**
 * Entries of an import's error report: the failed rows' errors, and notes such as JSONL keys
 * that were not read (on rows that were imported). Without `errorsTotal`, the failed rows.
 */
function reportEntries(i: ImportView): number {
  return 'errorsTotal' in i && typeof i.errorsTotal === 'number' ? i.errorsTotal : i.rowsFailed;
}

function ImportHistory({ workspaceId }: { workspaceId: string }) {
  const imports = useQuery({
    queryKey: ['imports', workspaceId],
    queryFn: () => api.listImports(workspaceId, { limit: 50 }),
    // Keep polling while an import is still running.
    refetchInterval: (q) => (q.state.data?.imports.some((i) => i.status === 'running') ? 2000 : false),
  });
  const list = imports.data?.imports ?? [];

  return (
    <TableSection
      title="Import history"
      description="The latest 50 imports in this workspace."
      error={imports.error}
      errorTitle="Could not load the import history"
      ariaLabel="Import history"
      minWidth={960}
      highlightOnHover
      head={
        <>
          <Table.Th>File</Table.Th>
          <Table.Th>Kind</Table.Th>
          <Table.Th>Source</Table.Th>
          <Table.Th>Status</Table.Th>
          <Table.Th ta="right">Read</Table.Th>
          <Table.Th ta="right">Imported</Table.Th>
          <Table.Th ta="right">Failed</Table.Th>
          <Table.Th>Started</Table.Th>
          <Table.Th>Finished</Table.Th>
          <Table.Th>By</Table.Th>
          <Table.Th>Error report</Table.Th>
        </>
      }
      colSpan={11}
      loading={imports.isPending}
      skeletonRows={2}
      empty={
        imports.isSuccess &&
        list.length === 0 && (
          <Stack align="center" gap={4} py="lg">
            <Text fw={500}>No imports yet</Text>
            <Text size="sm" c="dimmed">
              Files you import show up here with how many rows were read, imported and rejected.
            </Text>
          </Stack>
        )
      }
    >
      {list.map((i) => {
        const status = STATUS[i.status] ?? { label: i.status, color: 'gray' };
        return (
          <Table.Tr key={i.id} data-import-id={i.id}>
            <Table.Td>
              <Text size="sm" fw={500} truncate maw={220} title={i.fileName}>
                {i.fileName}
              </Text>
              <Text size="xs" c="dimmed" tt="uppercase">
                {i.format}
              </Text>
            </Table.Td>
            <Table.Td>
              <Text size="sm">{kindLabel(i.kind)}</Text>
            </Table.Td>
            <Table.Td>
              <Text size="sm">{i.source}</Text>
            </Table.Td>
            <Table.Td>
              <Badge
                variant="light"
                className="ec-badge-fit"
                color={status.color}
                leftSection={i.status === 'running' ? <Loader size={10} color={status.color} /> : undefined}
              >
                {status.label}
              </Badge>
            </Table.Td>
            <Table.Td ta="right" style={{ fontVariantNumeric: 'tabular-nums' }}>
              {nf.format(i.rowsRead)}
            </Table.Td>
            <Table.Td ta="right" style={{ fontVariantNumeric: 'tabular-nums' }}>
              {nf.format(i.rowsImported)}
            </Table.Td>
            <Table.Td
              ta="right"
              c={i.rowsFailed > 0 ? 'red.7' : undefined}
              fw={i.rowsFailed > 0 ? 600 : undefined}
              style={{ fontVariantNumeric: 'tabular-nums' }}
              data-testid="rows-failed"
            >
              {nf.format(i.rowsFailed)}
            </Table.Td>
            <Table.Td>
              <Tooltip label={formatDateTime(i.startedAt)}>
                <Text size="sm" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                  {formatRelative(i.startedAt)}
                </Text>
              </Tooltip>
            </Table.Td>
            <Table.Td>
              <Tooltip label={formatDateTime(i.finishedAt)} disabled={!i.finishedAt}>
                <Text size="sm" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                  {i.finishedAt ? formatRelative(i.finishedAt) : '—'}
                </Text>
              </Tooltip>
            </Table.Td>
            <Table.Td>
              <Text size="sm" truncate maw={180} title={i.createdBy ?? undefined}>
                {i.createdBy ?? '—'}
              </Text>
            </Table.Td>
            <Table.Td>
              {reportEntries(i) > 0 ? (
                <Anchor
                  href={api.importErrorsUrl(workspaceId, i.id)}
                  download={`${i.fileName.replace(/\.[^.]+$/, '')}-errors.csv`}
                  size="sm"
                  aria-label={`Download error report of ${i.fileName}`}
                  title={
                    i.rowsFailed > 0 ? 'Download the rejected rows and the reasons as CSV' : 'Download the notes on this import (e.g. keys that were not read) as CSV'
                  }
                  style={{ whiteSpace: 'nowrap', display: 'inline-flex', alignItems: 'center', gap: 4 }}
                >
                  <IconDownload size={14} />
                  {i.rowsFailed > 0 ? 'Error report' : 'Notes'}
                </Anchor>
              ) : (
                <Text size="sm" c="dimmed">
                  —
                </Text>
              )}
            </Table.Td>
          </Table.Tr>
        );
      })}
    </TableSection>
  );
}

/** File imports: the upload form (managers and up) and the history. */
export function ImportsSection() {
  const { workspaceId, role } = useWorkspace();
  const canImport = roleAtLeast(role, 'manager');
  return (
    <Stack gap="lg">
      {canImport && <ImportForm key={workspaceId} workspaceId={workspaceId} />}
      <ImportHistory workspaceId={workspaceId} />
    </Stack>
  );
}
