import { Alert, Group, Paper, Skeleton, Stack, Table, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { errorMessage } from '../api/client';

interface Props {
  /** Section heading (rendered as an h2). */
  title: string;
  description: ReactNode;
  /** Shown on the right of the heading, e.g. a "Create …" button. */
  action?: ReactNode;
  /** A load error; the alert shows while it is not null. */
  error: unknown;
  errorTitle: string;
  /** Accessible name of the table. */
  ariaLabel: string;
  /** Below this width the table scrolls sideways. */
  minWidth: number;
  /** The `Table.Th` cells of the header row. */
  head: ReactNode;
  /** Number of columns, for the full-width skeleton and empty rows. */
  colSpan: number;
  loading: boolean;
  skeletonRows?: number;
  /** Content of a full-width row (e.g. "nothing here yet"), shown when truthy. */
  empty?: ReactNode;
  striped?: boolean;
  highlightOnHover?: boolean;
  /** Above this height the table scrolls, keeping its header row in view. */
  maxHeight?: number;
  /** Row spacing; "sm" by default, a number of pixels for dense tables. */
  verticalSpacing?: 'sm' | number;
  /** The body rows (`Table.Tr`). */
  children: ReactNode;
  /** Shown below the table, e.g. a "Load more" button. */
  footer?: ReactNode;
}

/** A titled, bordered table with a load-error alert and skeleton rows while loading. */
export function TableSection({
  title,
  description,
  action,
  error,
  errorTitle,
  ariaLabel,
  minWidth,
  head,
  colSpan,
  loading,
  skeletonRows = 3,
  empty,
  striped,
  highlightOnHover,
  maxHeight,
  verticalSpacing = 'sm',
  children,
  footer,
}: Props) {
  return (
    <Stack>
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={2} fz="lg">
            {title}
          </Title>
          <Text size="sm" c="dimmed">
            {description}
          </Text>
        </div>
        {action}
      </Group>

      {error != null && (
        <Alert color="red" role="alert" title={errorTitle}>
          {errorMessage(error)}
        </Alert>
      )}

      <Paper withBorder radius="md">
        <Table.ScrollContainer minWidth={minWidth} {...(maxHeight ? { maxHeight } : {})}>
          <Table
            verticalSpacing={verticalSpacing}
            striped={striped}
            highlightOnHover={highlightOnHover}
            stickyHeader={maxHeight !== undefined}
            aria-label={ariaLabel}
          >
            <Table.Thead>
              <Table.Tr>{head}</Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {loading &&
                Array.from({ length: skeletonRows }, (_, i) => (
                  <Table.Tr key={i}>
                    <Table.Td colSpan={colSpan}>
                      <Skeleton h={20} />
                    </Table.Td>
                  </Table.Tr>
                ))}
              {children}
              {empty ? (
                <Table.Tr>
                  <Table.Td colSpan={colSpan}>{empty}</Table.Td>
                </Table.Tr>
              ) : null}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Paper>
      {footer}
    </Stack>
  );
}
