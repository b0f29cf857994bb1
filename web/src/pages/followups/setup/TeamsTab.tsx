import { Button, Group, Modal, MultiSelect, Select, SimpleGrid, Stack, Switch, Table, Text, Textarea, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { followupKeys, followupsApi, WEEKDAYS, type Calendar, type DayHours, type Team, type Weekday } from '../../../api/followups';
import { ConfirmModal } from '../../../components/ConfirmModal';
import { TableSection } from '../../../components/TableSection';
import { useMembers, whoName } from '../inbox/labels';
import { ApiErrorAlert, errorAt } from './errors';

const DAY_LABEL: Record<Weekday, string> = { mon: 'Monday', tue: 'Tuesday', wed: 'Wednesday', thu: 'Thursday', fri: 'Friday', sat: 'Saturday', sun: 'Sunday' };
const OFFICE: Record<Weekday, string> = { mon: '09:00-17:00', tue: '09:00-17:00', wed: '09:00-17:00', thu: '09:00-17:00', fri: '09:00-17:00', sat: '', sun: '' };

const hoursText = (h: DayHours): string => h.map(([a, b]) => `${a}-${b}`).join(', ');
/** "09:00-12:00, 13:00-17:00" → [["09:00","12:00"],["13:00","17:00"]]; the API checks the times. */
const parseHours = (t: string): DayHours =>
  t
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const [a = '', b = ''] = s.split(/\s*[-–]\s*/);
      return [a, b];
    });

export function calendarText(c: Calendar): string {
  if (c.hours === null) return `24/7 (${c.timeZone})`;
  const days = WEEKDAYS.filter((d) => (c.hours?.[d].length ?? 0) > 0);
  const first = c.hours[days[0] ?? 'mon'];
  return `${days.map((d) => d.slice(0, 2)).join(' ')} ${hoursText(first)} ${c.timeZone}${c.holidays.length ? `, ${c.holidays.length} holidays` : ''}`;
}

function timeZones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (k: string) => string[] };
  return intl.supportedValuesOf ? ['UTC', ...intl.supportedValuesOf('timeZone').filter((z) => z !== 'UTC')] : ['UTC'];
}

function TeamForm({ workspaceId, team, onClose }: { workspaceId: string; team: Team | null; onClose: () => void }) {
  const qc = useQueryClient();
  const members = useMembers(workspaceId).data?.members ?? [];
  const zones = useMemo(timeZones, []);
  const [name, setName] = useState(team?.name ?? '');
  const [memberIds, setMemberIds] = useState<string[]>(team?.members ?? []);
  const [manager, setManager] = useState<string | null>(team?.managerUserId ?? null);
  const [timeZone, setTimeZone] = useState(team?.calendar.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'UTC');
  const [allDay, setAllDay] = useState(team ? team.calendar.hours === null : false);
  const [hours, setHours] = useState<Record<Weekday, string>>(() =>
    team?.calendar.hours ? (Object.fromEntries(WEEKDAYS.map((d) => [d, hoursText(team.calendar.hours?.[d] ?? [])])) as Record<Weekday, string>) : OFFICE,
  );
  const [holidays, setHolidays] = useState((team?.calendar.holidays ?? []).join('\n'));
  const save = useMutation({
    mutationFn: () => {
      const calendar: Calendar = {
        timeZone,
        hours: allDay ? null : (Object.fromEntries(WEEKDAYS.map((d) => [d, parseHours(hours[d])])) as Record<Weekday, DayHours>),
        holidays: holidays.split(/[\s,]+/).filter(Boolean),
      };
      const input = { name, members: memberIds, managerUserId: manager, calendar };
      return team ? followupsApi.updateTeam(workspaceId, team.id, input) : followupsApi.createTeam(workspaceId, input);
    },
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: followupKeys.teams(workspaceId) });
      onClose();
    },
  });
  const e = save.error;
  const people = members.map((m) => ({ value: m.userId, label: m.name ? `${m.name} (${m.email})` : m.email }));
  return (
    <Modal opened onClose={onClose} title={team ? `Edit team: ${team.name}` : 'New team'} size="lg" centered>
      <Stack>
        <TextInput label="Name" required value={name} onChange={(ev) => setName(ev.currentTarget.value)} error={errorAt(e, 'body.name')} />
        <MultiSelect label="Members" description="In round-robin order" searchable data={people} value={memberIds} onChange={setMemberIds} error={errorAt(e, 'body.members', true)} />
        <Select label="Manager" description="Hears of escalations addressed to the manager" placeholder="None" clearable searchable data={people} value={manager} onChange={setManager} error={errorAt(e, 'body.managerUserId')} />
        <Select label="Time zone" searchable allowDeselect={false} data={zones} value={timeZone} onChange={(v) => v && setTimeZone(v)} error={errorAt(e, 'body.calendar.timeZone')} />
        <Switch label="Open 24/7" checked={allDay} onChange={(ev) => setAllDay(ev.currentTarget.checked)} />
        {!allDay && (
          <SimpleGrid cols={2} spacing="xs">
            {WEEKDAYS.map((d) => (
              <TextInput
                key={d}
                label={DAY_LABEL[d]}
                placeholder="closed"
                value={hours[d]}
                onChange={(ev) => setHours({ ...hours, [d]: ev.currentTarget.value })}
                error={errorAt(e, `body.calendar.hours.${d}`, true)}
              />
            ))}
          </SimpleGrid>
        )}
        {!allDay && errorAt(e, 'body.calendar.hours') && (
          <Text size="xs" c="red">
            {errorAt(e, 'body.calendar.hours')}
          </Text>
        )}
        <Textarea label="Holidays" description="Local dates YYYY-MM-DD, one a line: no working time at all" autosize minRows={2} value={holidays} onChange={(ev) => setHolidays(ev.currentTarget.value)} error={errorAt(e, 'body.calendar.holidays', true)} />
        <ApiErrorAlert error={e} title="The team was not saved" />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button onClick={() => save.mutate()} loading={save.isPending}>
            {team ? 'Save team' : 'Create team'}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

export function TeamsTab({ workspaceId, canManage }: { workspaceId: string; canManage: boolean }) {
  const qc = useQueryClient();
  const teams = useQuery({ queryKey: followupKeys.teams(workspaceId), queryFn: () => followupsApi.teams(workspaceId) });
  const members = useMembers(workspaceId).data?.members;
  const [editing, setEditing] = useState<Team | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Team | null>(null);
  const remove = useMutation({
    mutationFn: (t: Team) => followupsApi.deleteTeam(workspaceId, t.id),
    onSuccess: () => {
      setDeleting(null);
      void qc.invalidateQueries({ queryKey: followupKeys.teams(workspaceId) });
    },
  });
  const list = teams.data?.teams ?? [];
  return (
    <>
      <TableSection
        title="Teams"
        description="Who shares the work (in turn, or least loaded first), who manages it, and the hours their SLA clocks count."
        action={canManage && <Button onClick={() => setEditing('new')}>New team</Button>}
        error={teams.error}
        errorTitle="Could not load the teams"
        ariaLabel="Teams"
        minWidth={820}
        head={
          <>
            <Table.Th>Name</Table.Th>
            <Table.Th>Members</Table.Th>
            <Table.Th>Manager</Table.Th>
            <Table.Th>Hours</Table.Th>
            <Table.Th />
          </>
        }
        colSpan={5}
        loading={teams.isPending}
        empty={teams.isSuccess && list.length === 0 && <Text c="dimmed" ta="center" py="md">No teams yet.</Text>}
      >
        {list.map((t) => (
          <Table.Tr key={t.id} data-team-id={t.id}>
            <Table.Td>{t.name}</Table.Td>
            <Table.Td>
              <Text size="sm">{t.members.map((m) => whoName(m, members)).join(', ') || '—'}</Text>
            </Table.Td>
            <Table.Td>{t.managerUserId ? whoName(t.managerUserId, members) : '—'}</Table.Td>
            <Table.Td>
              <Text size="sm">{calendarText(t.calendar)}</Text>
            </Table.Td>
            <Table.Td>
              {canManage && (
                <Group gap={4} justify="flex-end" wrap="nowrap">
                  <Button size="compact-sm" variant="default" onClick={() => setEditing(t)}>
                    Edit
                  </Button>
                  <Button size="compact-sm" variant="subtle" color="red" onClick={() => setDeleting(t)}>
                    Delete
                  </Button>
                </Group>
              )}
            </Table.Td>
          </Table.Tr>
        ))}
      </TableSection>
      {editing !== null && <TeamForm key={editing === 'new' ? 'new' : editing.id} workspaceId={workspaceId} team={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
      <ConfirmModal opened={deleting !== null} title="Delete this team?" confirmLabel="Delete team" onConfirm={() => deleting && remove.mutate(deleting)} onClose={() => setDeleting(null)} loading={remove.isPending} error={remove.error}>
        “{deleting?.name}” goes; rules and policies that name it may need another team.
      </ConfirmModal>
    </>
  );
}
