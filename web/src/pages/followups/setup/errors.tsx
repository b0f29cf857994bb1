/** The API's validation errors, at their path (`definition.conditions.0.value`), and for one field. */
import { Alert, List, Text } from '@mantine/core';
import { ApiError, errorMessage } from '../../../api/client';
import { issuesOf } from '../../../api/followups';

export function issuesOfError(error: unknown): { path: string; message: string }[] {
  return error instanceof ApiError ? issuesOf(error.details) : [];
}

/** The messages of the issues at `path` (or under it, when `under`), for a form field's `error`. */
export function errorAt(error: unknown, path: string, under = false): string | undefined {
  const found = issuesOfError(error).filter((i) => i.path === path || (under && i.path.startsWith(`${path}.`)));
  return found.length ? found.map((i) => i.message).join('; ') : undefined;
}

/** An error alert listing each issue with its path. */
export function ApiErrorAlert({ error, title }: { error: unknown; title: string }) {
  if (error == null) return null;
  const issues = issuesOfError(error);
  return (
    <Alert color="red" role="alert" title={title} data-testid="api-error">
      {issues.length === 0 ? (
        errorMessage(error)
      ) : (
        <List size="sm" spacing={2}>
          {issues.map((i) => (
            <List.Item key={`${i.path}:${i.message}`} data-issue-path={i.path}>
              <Text span className="ec-mono" size="sm">
                {i.path}
              </Text>
              : {i.message}
            </List.Item>
          ))}
        </List>
      )}
    </Alert>
  );
}
