import { Card, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { ReactNode, useId } from 'react';

/** A chart's data as a table: what screen readers read instead of the drawing. */
export interface ChartTable {
  headers: string[];
  rows: (string | number)[][];
}

/** Colours of series, distinct enough side by side and against white (WCAG non-text contrast). */
export const SERIES_COLOURS = ['#1c7ed6', '#e8590c', '#2b8a3e', '#c2255c', '#6741d9', '#0b7285', '#5c940d', '#862e9c'];

/**
 * A titled chart: the drawing is one image named by its summary, and the same figures follow as a visually hidden
 * table, so nothing is only in the picture.
 */
export function ChartFigure({
  title,
  summary,
  table,
  empty,
  children,
}: {
  title: string;
  summary: string;
  table: ChartTable;
  /** Shown instead of the chart when there is nothing to draw. */
  empty?: string;
  children: ReactNode;
}) {
  const titleId = useId();
  return (
    <Card withBorder component="figure" m={0} aria-labelledby={titleId}>
      <Title order={3} size="h5" id={titleId} mb="xs">
        {title}
      </Title>
      {table.rows.length === 0 && empty ? (
        <Text c="dimmed">{empty}</Text>
      ) : (
        <>
          <div role="img" aria-label={summary}>
            {children}
          </div>
          <VisuallyHidden>
            <Table>
              <caption>{title}</caption>
              <Table.Thead>
                <Table.Tr>
                  {table.headers.map((header) => (
                    <Table.Th key={header}>{header}</Table.Th>
                  ))}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {table.rows.map((row, index) => (
                  <Table.Tr key={index}>
                    {row.map((cell, column) => (
                      <Table.Td key={column}>{cell}</Table.Td>
                    ))}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </VisuallyHidden>
        </>
      )}
    </Card>
  );
}
