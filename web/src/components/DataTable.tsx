/** The table view of a chart: a caption (its accessible name), a sticky header and right-aligned numbers. */
import { Table } from '@mantine/core';
import type { ReactNode } from 'react';

export interface DataColumn {
  label: string;
  numeric?: boolean;
}

export function DataTable({ caption, columns, rows, maxHeight = 240, testId }: { caption: string; columns: DataColumn[]; rows: { key: string; cells: ReactNode[] }[]; maxHeight?: number; testId?: string }) {
  return (
    <Table.ScrollContainer minWidth={300} maxHeight={maxHeight}>
      <Table stickyHeader striped verticalSpacing={2} fz="xs" captionSide="top" data-testid={testId}>
        <Table.Caption style={{ textAlign: 'left', marginTop: 0 }}>{caption}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            {columns.map((c) => (
              <Table.Th key={c.label} ta={c.numeric ? 'right' : undefined}>
                {c.label}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r) => (
            <Table.Tr key={r.key}>
              {r.cells.map((cell, i) => (
                <Table.Td key={columns[i]?.label ?? i} ta={columns[i]?.numeric ? 'right' : undefined} style={i === 0 ? { whiteSpace: 'nowrap' } : undefined}>
                  {cell}
                </Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
