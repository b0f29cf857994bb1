/**
 * The home page's filters, kept in the address so that a view can be shared:
 * `?period=30|90|365` (default 30) and `?segment=plan:pro` (repeatable, ANDed; the feedback
 * reports' own helpers and input). useHome reads the whole page through one request.
 */
import { Group, SegmentedControl } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { homeApi, homeKeys, type HomeQuery } from '../../api/insight-home';
import { SegmentFilter, segmentFromParams, withSegmentParams } from '../feedback/reports/segment';
import { DEFAULT_PERIOD, HOME_PERIODS, homePeriod, periodRanges, type HomePeriod, type Ranges } from './periods';

export interface HomeFilters {
  period: HomePeriod;
  segment: string[];
  ranges: Ranges;
  query: HomeQuery;
}

export function useHomeFilters(): HomeFilters & { setPeriod: (v: string) => void; setSegment: (s: string[]) => void } {
  const [params, setParams] = useSearchParams();
  const period = homePeriod(params.get('period'));
  // Keyed on the conditions' text, so that the query key stays the same object across renders.
  const segmentKey = JSON.stringify(segmentFromParams(params));
  const segment = useMemo(() => JSON.parse(segmentKey) as string[], [segmentKey]);
  // Recomputed when the period changes (and so on a new day, at the next change or reload).
  const ranges = useMemo(() => periodRanges(period), [period]);
  const query = useMemo(() => ({ ...ranges.current, segment }), [ranges, segment]);
  const setPeriod = (value: string) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (value === DEFAULT_PERIOD) next.delete('period');
        else next.set('period', value);
        return next;
      },
      { replace: true },
    );
  const setSegment = (s: string[]) => setParams((prev) => withSegmentParams(prev, s), { replace: true });
  return { period, segment, ranges, query, setPeriod, setSegment };
}

/** The whole home page in one read, for the filters in the address. */
export function useHome(workspaceId: string, query: HomeQuery, opts: { refetchInterval?: number } = {}) {
  return useQuery({
    queryKey: homeKeys.home(workspaceId, query),
    queryFn: ({ signal }) => homeApi.home(workspaceId, query, signal),
    refetchInterval: opts.refetchInterval,
  });
}

export function HomeFilterBar({ filters }: { filters: ReturnType<typeof useHomeFilters> }) {
  return (
    <Group align="flex-end" gap="md" role="search" aria-label="Filters">
      <SegmentedControl aria-label="Period" value={filters.period.value} onChange={filters.setPeriod} data={HOME_PERIODS.map((p) => ({ value: p.value, label: p.label }))} />
      <SegmentFilter value={filters.segment} onChange={filters.setSegment} />
    </Group>
  );
}
