import { Badge } from '@mantine/core';
import type { SurveyStatus } from '../../../api/surveys';

export const STATUS_LABEL: Record<SurveyStatus, string> = { draft: 'Draft', active: 'Active', closed: 'Closed' };
const STATUS_COLOUR: Record<SurveyStatus, string> = { draft: 'gray', active: 'teal', closed: 'red' };

export function StatusBadge({ status }: { status: SurveyStatus }) {
  return (
    <Badge variant="light" color={STATUS_COLOUR[status]} data-testid="survey-status">
      {STATUS_LABEL[status]}
    </Badge>
  );
}
