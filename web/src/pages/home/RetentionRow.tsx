/**
 * Retention and churn, after satisfaction: active customers, logo churn, GRR and NRR (main
 * currency) over the complete months of the period against the months before, a monthly trend
 * and the retention cohorts as a heatmap.
 */
import { Alert, Paper, SimpleGrid, Skeleton, Stack, Text } from '@mantine/core';
import type { UseQueryResult } from '@tanstack/react-query';
import { lazy, Suspense, useMemo } from 'react';
import { errorMessage } from '../../api/client';
import type { Home } from '../../api/insight-home';
import { ChartCard } from '../../components/ChartCard';
import { DataTable } from '../../components/DataTable';
import { IconCart } from '../../components/icons';
import { formatCount, formatPct } from '../followups/reports/format';
import { money } from '../insight/shared';
import { cohortCsv, cohortOption, formatMonth, formatSpan, maxAge, monthlyCsv, monthlyOption, noCustomers, revenueIn } from './retention';
import { ChangeAgainst, HomeSection, StartHere, StatTile } from './Section';

const EChart = lazy(() => import('../../components/EChart').then((m) => ({ default: m.EChart })));

function Figures({ home }: { home: Home }) {
  const { current, previous, months, previousMonths } = home.customers;
  const against = formatSpan(previousMonths);
  const rev = home.revenue;
  const cur = rev.currency;
  return (
    <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }}>
      <StatTile
        label="Active customers"
        testId="home-active"
        value={formatCount(current.activeEnd)}
        hint={`at the end of ${formatMonth(months.last)} · ${formatCount(current.newCustomers)} new, ${formatCount(current.lost)} lost`}
        change={<ChangeAgainst current={current.activeEnd} previous={previous.activeEnd} format={formatCount} against={against} />}
      />
      <StatTile
        label="Logo churn"
        testId="home-churn"
        value={formatPct(current.logoChurnPct)}
        hint={`of the ${formatCount(current.activeStart)} active before ${formatSpan(months)}`}
        change={<ChangeAgainst current={current.logoChurnPct} previous={previous.logoChurnPct} format={formatPct} digits={1} unit=" pp" against={against} better="down" />}
      />
      <StatTile
        label={cur ? `Gross revenue retention (${cur})` : 'Gross revenue retention'}
        testId="home-grr"
        value={formatPct(rev.current?.grrPct ?? null)}
        hint={rev.current ? `MRR ${money(rev.current.mrrStart, cur)} → ${money(rev.current.mrrEnd, cur)}` : 'no subscription revenue'}
        change={rev.current && <ChangeAgainst current={rev.current.grrPct} previous={rev.previous?.grrPct ?? null} format={formatPct} digits={1} unit=" pp" against={against} />}
      />
      <StatTile
        label={cur ? `Net revenue retention (${cur})` : 'Net revenue retention'}
        testId="home-nrr"
        value={formatPct(rev.current?.nrrPct ?? null)}
        hint={rev.byCurrency.length > 1 ? `main currency of ${rev.byCurrency.length}; currencies are never added` : 'with expansion'}
        change={rev.current && <ChangeAgainst current={rev.current.nrrPct} previous={rev.previous?.nrrPct ?? null} format={formatPct} digits={1} unit=" pp" against={against} />}
      />
    </SimpleGrid>
  );
}

function MonthlyTrend({ home }: { home: Home }) {
  const option = useMemo(() => monthlyOption(home), [home]);
  const pts = home.customers.trend;
  const cur = home.revenue.currency;
  const caption = `Active customers, logo churn${cur ? `, GRR and NRR (${cur})` : ''} per month, ${formatMonth(pts[0]?.month ?? home.customers.months.first)} to ${formatMonth(home.customers.months.last)}`;
  return (
    <ChartCard
      name="monthly retention trend"
      testId="home-monthly"
      size="xs"
      title={<Text fw={600} size="sm">Per month</Text>}
      height={240}
      csv={{ fileName: `retention-monthly-${home.customers.months.last}.csv`, content: () => monthlyCsv(home) }}
      chart={() => (
        <Suspense fallback={<Skeleton h={240} />}>
          <EChart option={option} height={240} label={`Bars and lines: ${caption}`} testId="home-monthly-chart" />
        </Suspense>
      )}
      table={() => (
        <DataTable
          caption={caption}
          columns={[{ label: 'Month' }, { label: 'Active', numeric: true }, { label: 'New', numeric: true }, { label: 'Lost', numeric: true }, { label: 'Logo churn', numeric: true }, { label: 'GRR', numeric: true }, { label: 'NRR', numeric: true }]}
          rows={pts.map((p) => {
            const r = revenueIn(p, cur);
            return { key: p.month, cells: [formatMonth(p.month), formatCount(p.active), formatCount(p.newCustomers), formatCount(p.lost), formatPct(p.logoChurnPct), formatPct(r?.grrPct ?? null), formatPct(r?.nrrPct ?? null)] };
          })}
        />
      )}
    />
  );
}

function Cohorts({ home }: { home: Home }) {
  const rows = home.cohorts.rows;
  const option = useMemo(() => cohortOption(rows), [rows]);
  const ages = Array.from({ length: maxAge(rows) + 1 }, (_, i) => i);
  const caption = `Retention cohorts: share of each month's new customers still active, months after their first purchase (up to ${formatMonth(home.cohorts.upTo)})`;
  const height = Math.max(160, 28 * rows.length + 60);
  return (
    <ChartCard
      name="retention cohorts"
      testId="home-cohorts"
      title={<Text fw={600} size="sm">Cohorts</Text>}
      height={height}
      empty={rows.every((r) => r.size === 0) ? 'No new customers in the last 12 months: no cohort to follow.' : undefined}
      csv={{ fileName: `retention-cohorts-${home.cohorts.upTo}.csv`, content: () => cohortCsv(rows) }}
      chart={() => (
        <Suspense fallback={<Skeleton h={height} />}>
          <EChart option={option} height={height} label={`Heatmap: ${caption}`} testId="home-cohort-chart" />
        </Suspense>
      )}
      table={() => (
        <DataTable
          caption={caption}
          maxHeight={360}
          columns={[{ label: 'Cohort' }, { label: 'Customers', numeric: true }, ...ages.map((a) => ({ label: `Month ${a}`, numeric: true }))]}
          rows={rows.map((r) => ({ key: r.cohort, cells: [formatMonth(r.cohort), formatCount(r.size), ...ages.map((a) => formatPct(r.cells.find((c) => c.age === a)?.sharePct ?? null))] }))}
        />
      )}
    />
  );
}

export function RetentionRow({ workspaceId, home }: { workspaceId: string; home: UseQueryResult<Home> }) {
  const d = home.data;
  return (
    <HomeSection
      title="Retention and churn"
      testId="retention-row"
      description={d ? `Complete months of the period (${formatSpan(d.customers.months)}) against ${formatSpan(d.customers.previousMonths)}; a customer is active with a running subscription or an order in the 12 months before.` : 'Complete months of the period against the months before.'}
    >
      {home.isError ? (
        <Alert color="red" role="alert" title="Could not load retention and churn">
          {errorMessage(home.error)}
        </Alert>
      ) : !d ? (
        <Stack gap="md">
          <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }}>{[0, 1, 2, 3].map((i) => <Skeleton key={i} h={110} radius="md" />)}</SimpleGrid>
          <Skeleton h={240} radius="md" />
        </Stack>
      ) : noCustomers(d) && d.segment.length > 0 ? (
        <Text size="sm" c="dimmed" ta="center" py="xl" role="status" data-testid="retention-empty-segment">
          No billing customer of this segment was active in these months or the ones before: no retention to show for it.
        </Text>
      ) : noCustomers(d) ? (
        <StartHere icon={<IconCart size={28} />} title="No orders or subscriptions yet" to={`/w/${encodeURIComponent(workspaceId)}/sources`} linkText="Sources" testId="retention-empty">
          Active customers, churn and revenue retention come from billing records. Import orders and subscriptions (a CSV export of Stripe, Chargebee or your shop) under
        </StartHere>
      ) : (
        <Stack gap="md">
          <Figures home={d} />
          <SimpleGrid cols={{ base: 1, lg: 2 }}>
            <Paper withBorder radius="md" p="md">
              <MonthlyTrend home={d} />
            </Paper>
            <Paper withBorder radius="md" p="md">
              <Cohorts home={d} />
            </Paper>
          </SimpleGrid>
        </Stack>
      )}
    </HomeSection>
  );
}
