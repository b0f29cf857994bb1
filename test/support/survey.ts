/** Test support for answers to surveys, given as a respondent gives them, over HTTP. */
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import type { Session } from './app.js';

/**
 * Answers a survey as a respondent of a link does: `session` (someone who may hand out links)
 * makes a signed link for the respondent, then the answers go, finished, through the public
 * answer API with its token. Returns the response's id.
 */
export async function answerByLink(
  app: FastifyInstance,
  workspaceId: string,
  session: Session,
  surveyId: string,
  respondent: { kind: string; value: string },
  answers: Record<string, unknown>,
): Promise<string> {
  const link = await app.inject({ method: 'POST', url: `/api/workspaces/${workspaceId}/surveys/${surveyId}/links`, headers: session.headers, payload: { respondent } });
  expect(link.statusCode, link.body).toBe(201);
  const { token } = link.json() as { token: string };
  const res = await app.inject({ method: 'POST', url: `/s/api/${surveyId}/answers`, payload: { token, answers, finished: true } });
  expect(res.statusCode, res.body).toBe(200);
  return (res.json() as { responseId: string }).responseId;
}
