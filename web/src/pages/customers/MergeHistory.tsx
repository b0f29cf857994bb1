import { Anchor, Badge, Button, Divider, Group, Paper, Stack, Text, Title, Tooltip } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { customersApi, type CustomerView, type MergeView } from '../../api/customers';
import { ConfirmModal } from '../../components/ConfirmModal';
import { formatDateTime } from '../../components/format';
import { IconArrowsSplit } from '../../components/icons';
import { EvidenceView, RULE, formatScore, identityLabel, useActorName } from './shared';

/** The profiles under `id` in this customer's merge forest (itself and everything merged into it). */
function subtree(view: CustomerView, id: string): Set<string> {
  const out = new Set([id]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const l of view.leaves) {
      if (l.parentId && out.has(l.parentId) && !out.has(l.id)) {
        out.add(l.id);
        grew = true;
      }
    }
  }
  return out;
}

/** A profile in words: its name (from its own traits) and the records or identifiers it came from. */
export function describeProfile(view: CustomerView, id: string, withMerged: boolean): { name: string | null; ids: string[]; known: boolean } {
  const profiles = withMerged ? subtree(view, id) : new Set([id]);
  const known = view.leaves.some((l) => l.id === id);
  const traits = view.traits.filter((t) => profiles.has(t.profileId));
  const str = (key: string) => {
    const v = traits.find((t) => t.key === key)?.value;
    return typeof v === 'string' && v.trim() ? v : null;
  };
  const name = str('name') ?? ([str('firstName'), str('lastName')].filter(Boolean).join(' ') || null);
  const idents = view.identities.filter((i) => profiles.has(i.profileId));
  const records = idents.filter((i) => i.kind === 'external').map((i) => i.value);
  const ids = records.length > 0 ? records : idents.slice(0, 2).map((i) => `${identityLabel(i.kind)} ${i.value}`);
  return { name, ids, known };
}

function ProfileText({ view, id, withMerged }: { view: CustomerView; id: string; withMerged: boolean }) {
  const d = describeProfile(view, id, withMerged);
  if (!d.known) {
    return (
      <Text span size="sm">
        <Text span className="ec-mono">
          {id}
        </Text>{' '}
        <Text span c="dimmed">
          (now a separate customer)
        </Text>
      </Text>
    );
  }
  return (
    <Text span size="sm">
      <Text span fw={600}>
        {d.name ?? 'Unnamed profile'}
      </Text>
      {d.ids.length > 0 && (
        <Text span c="dimmed">
          {' '}
          ({d.ids.join(', ')})
        </Text>
      )}
    </Text>
  );
}

/** A merge can be undone on its own while the absorbed profile still hangs directly under the survivor. */
function undoable(view: CustomerView, m: MergeView): boolean {
  return m.undoneAt === null && view.leaves.some((l) => l.id === m.absorbedId && l.parentId === m.survivorId);
}

interface Props {
  workspaceId: string;
  view: CustomerView;
  canMerge: boolean;
  onUnmerged: (result: { survivorId: string; restoredId: string }) => void;
}

/** Every merge that shaped this customer, newest first, with its rule, evidence, who and when, and Unmerge. */
export function MergeHistory({ workspaceId, view, canMerge, onUnmerged }: Props) {
  const actorName = useActorName(workspaceId);
  const [confirm, setConfirm] = useState<MergeView | null>(null);
  const undo = useMutation({
    mutationFn: (mergeId: string) => customersApi.undoMerge(workspaceId, mergeId),
    onSuccess: (result) => {
      setConfirm(null);
      onUnmerged(result);
    },
  });
  const merges = [...view.merges].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const base = `/w/${encodeURIComponent(workspaceId)}/customers`;

  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby="merges-heading">
      <Stack gap="sm">
        <div>
          <Title order={2} fz="lg" id="merges-heading">
            Merge history
          </Title>
          <Text size="sm" c="dimmed">
            Why the profiles of this customer became one, newest first. An unmerge restores both customers exactly as they were
            and keeps them apart.
          </Text>
        </div>
        {merges.length === 0 ? (
          <Text size="sm" c="dimmed">
            This customer has never been merged: everything comes from one profile.
          </Text>
        ) : (
          <Stack gap="sm" component="ol" p={0} m={0} aria-label="Merges">
            {merges.map((m, i) => {
              const rule = RULE[m.rule] ?? { label: m.rule, color: 'gray', hint: '' };
              const canUndo = undoable(view, m);
              return (
                <li key={m.id} data-merge-id={m.id} data-merge-rule={m.rule} style={{ listStyle: 'none' }}>
                  {i > 0 && <Divider mb="sm" />}
                  <Stack gap="xs">
                    <Group justify="space-between" align="flex-start">
                      <Group gap="xs">
                        <Tooltip label={rule.hint} multiline maw={320}>
                          <Badge variant="light" color={rule.color}>
                            {rule.label}
                          </Badge>
                        </Tooltip>
                        {m.score !== null && (
                          <Badge variant="outline" color="gray" tt="none">
                            match {formatScore(m.score)}
                          </Badge>
                        )}
                        {m.undoneAt && (
                          <Badge variant="filled" color="gray" data-testid="merge-undone">
                            Undone
                          </Badge>
                        )}
                      </Group>
                      {canMerge && m.undoneAt === null && (
                        <Tooltip label="Undo the later merges of these profiles first" disabled={canUndo}>
                          <Button
                            variant="default"
                            color="red"
                            size="xs"
                            leftSection={<IconArrowsSplit size={14} />}
                            disabled={!canUndo}
                            onClick={() => {
                              undo.reset();
                              setConfirm(m);
                            }}
                          >
                            Unmerge
                          </Button>
                        </Tooltip>
                      )}
                    </Group>
                    <Text size="sm">
                      <ProfileText view={view} id={m.absorbedId} withMerged /> merged into{' '}
                      <ProfileText view={view} id={m.survivorId} withMerged={false} />
                    </Text>
                    <Text size="xs" c="dimmed">
                      {formatDateTime(m.createdAt)} · {actorName(m.actor)}
                      {m.undoneAt && ` · undone ${formatDateTime(m.undoneAt)} by ${actorName(m.undoneBy)}`}
                    </Text>
                    <EvidenceView evidence={m.evidence} label={`Evidence for merge ${m.id}`} />
                    {m.undoneAt && (
                      <Text size="sm">
                        <Anchor component={Link} to={`${base}/${encodeURIComponent(m.absorbedId)}`}>
                          Open the customer that was split off
                        </Anchor>
                      </Text>
                    )}
                  </Stack>
                </li>
              );
            })}
          </Stack>
        )}
      </Stack>

      <ConfirmModal
        opened={confirm !== null}
        title="Unmerge these profiles?"
        confirmLabel="Unmerge"
        loading={undo.isPending}
        error={undo.error}
        onClose={() => !undo.isPending && setConfirm(null)}
        onConfirm={() => confirm && undo.mutate(confirm.id)}
      >
        {confirm && (
          <Stack gap="xs">
            <Text size="sm">
              <ProfileText view={view} id={confirm.absorbedId} withMerged /> becomes a separate customer again, with its own
              identities, traits and timeline, exactly as before this merge.
            </Text>
            <Text size="sm" c="dimmed">
              The two are then kept apart: the same evidence will not merge them again. A person can still merge them by hand.
            </Text>
          </Stack>
        )}
      </ConfirmModal>
    </Paper>
  );
}
