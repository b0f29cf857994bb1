/** Teams, SLA policies and the follow-up settings over HTTP. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, appendAudit, principalOf, ZWorkspaceParams } from '../../workspaces/index.js';
import type { FollowupDeps } from '../deps.js';
import { readFollowupSettings, writeFollowupSettings, ZFollowupSettings } from '../settings.js';
import { ZPolicy, ZPolicyInput, ZPolicyPatch, ZTeam, ZTeamInput, ZTeamPatch } from './team.schema.js';
import { changePolicy, changeTeam, createPolicy, createTeam, deletePolicy, deleteTeam, getPolicy, getTeam, listPolicies, listTeams, policyView } from './team.store.js';

const ZTeamParams = ZWorkspaceParams.extend({ teamId: z.string().min(1).max(64) });
const ZPolicyParams = ZWorkspaceParams.extend({ policyId: z.string().min(1).max(64) });

export const teamRoutes =
  (deps: FollowupDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const read = { auth: { permission: 'followups.read' as const } };
    const manage = { auth: { permission: 'followups.manage' as const } };
    const tags = ['follow-up'];
    const db = deps.store.db;
    const base = '/api/workspaces/:workspaceId/followups';

    app.get(`${base}/teams`, { schema: { tags, summary: 'Teams', params: ZWorkspaceParams, response: { 200: z.object({ teams: z.array(ZTeam) }) } }, config: read }, async (request) => ({
      teams: await listTeams(db, request.params.workspaceId),
    }));
    app.post(
      `${base}/teams`,
      { schema: { tags, summary: 'Create a team: members (round-robin order), manager, business hours', params: ZWorkspaceParams, body: ZTeamInput, response: { 201: ZTeam } }, config: manage },
      async (request, reply) => {
        const ws = request.params.workspaceId;
        const now = deps.clock.now();
        const team = await db.transaction().execute(async (trx) => {
          const t = await createTeam(trx, ws, request.body, now);
          await appendAudit(trx, { workspaceId: ws, actor: actorOf(principalOf(request)), action: 'followup.team.create', target: { type: 'team', id: t.id }, details: { name: t.name }, at: now });
          return t;
        });
        return reply.code(201).send(team);
      },
    );
    app.get(`${base}/teams/:teamId`, { schema: { tags, summary: 'One team', params: ZTeamParams, response: { 200: ZTeam } }, config: read }, async (request) =>
      getTeam(db, request.params.workspaceId, request.params.teamId),
    );
    app.patch(`${base}/teams/:teamId`, { schema: { tags, summary: 'Change a team (members replace the list)', params: ZTeamParams, body: ZTeamPatch, response: { 200: ZTeam } }, config: manage }, async (request) => {
      const { workspaceId: ws, teamId } = request.params;
      const now = deps.clock.now();
      return db.transaction().execute(async (trx) => {
        const t = await changeTeam(trx, ws, teamId, request.body, now);
        await appendAudit(trx, { workspaceId: ws, actor: actorOf(principalOf(request)), action: 'followup.team.update', target: { type: 'team', id: teamId }, details: { name: t.name }, at: now });
        return t;
      });
    });
    app.delete(`${base}/teams/:teamId`, { schema: { tags, summary: 'Delete a team', params: ZTeamParams }, config: manage }, async (request, reply) => {
      const { workspaceId: ws, teamId } = request.params;
      const now = deps.clock.now();
      await db.transaction().execute(async (trx) => {
        await deleteTeam(trx, ws, teamId);
        await appendAudit(trx, { workspaceId: ws, actor: actorOf(principalOf(request)), action: 'followup.team.delete', target: { type: 'team', id: teamId }, at: now });
      });
      return reply.code(204).send();
    });

    app.get(`${base}/policies`, { schema: { tags, summary: 'SLA policies', params: ZWorkspaceParams, response: { 200: z.object({ policies: z.array(ZPolicy) }) } }, config: read }, async (request) => ({
      policies: (await listPolicies(db, request.params.workspaceId)).map(policyView),
    }));
    app.post(
      `${base}/policies`,
      {
        schema: { tags, summary: 'Create an SLA policy: targets for first contact and resolution, calendar, pause, escalation steps', params: ZWorkspaceParams, body: ZPolicyInput, response: { 201: ZPolicy } },
        config: manage,
      },
      async (request, reply) => {
        const ws = request.params.workspaceId;
        const now = deps.clock.now();
        const p = await db.transaction().execute(async (trx) => {
          const created = await createPolicy(trx, ws, request.body, now);
          await appendAudit(trx, { workspaceId: ws, actor: actorOf(principalOf(request)), action: 'followup.policy.create', target: { type: 'sla_policy', id: created.id }, details: { name: created.name }, at: now });
          return created;
        });
        return reply.code(201).send(policyView(p));
      },
    );
    app.get(`${base}/policies/:policyId`, { schema: { tags, summary: 'One SLA policy', params: ZPolicyParams, response: { 200: ZPolicy } }, config: read }, async (request) =>
      policyView(await getPolicy(db, request.params.workspaceId, request.params.policyId)),
    );
    app.patch(
      `${base}/policies/:policyId`,
      { schema: { tags, summary: 'Change an SLA policy (running clocks keep the plan they started with)', params: ZPolicyParams, body: ZPolicyPatch, response: { 200: ZPolicy } }, config: manage },
      async (request) => {
        const { workspaceId: ws, policyId } = request.params;
        const now = deps.clock.now();
        return policyView(
          await db.transaction().execute(async (trx) => {
            const p = await changePolicy(trx, ws, policyId, request.body, now);
            await appendAudit(trx, { workspaceId: ws, actor: actorOf(principalOf(request)), action: 'followup.policy.update', target: { type: 'sla_policy', id: policyId }, at: now });
            return p;
          }),
        );
      },
    );
    app.delete(`${base}/policies/:policyId`, { schema: { tags, summary: 'Delete an SLA policy', params: ZPolicyParams }, config: manage }, async (request, reply) => {
      const { workspaceId: ws, policyId } = request.params;
      const now = deps.clock.now();
      await db.transaction().execute(async (trx) => {
        await deletePolicy(trx, ws, policyId);
        await appendAudit(trx, { workspaceId: ws, actor: actorOf(principalOf(request)), action: 'followup.policy.delete', target: { type: 'sla_policy', id: policyId }, at: now });
      });
      return reply.code(204).send();
    });

    app.get(`${base}/settings`, { schema: { tags, summary: 'Follow-up settings: the events that count as a human contact', params: ZWorkspaceParams, response: { 200: ZFollowupSettings } }, config: read }, async (request) =>
      readFollowupSettings(db, request.params.workspaceId),
    );
    app.put(`${base}/settings`, { schema: { tags, summary: 'Change the follow-up settings', params: ZWorkspaceParams, body: ZFollowupSettings, response: { 200: ZFollowupSettings } }, config: manage }, async (request) => {
      const ws = request.params.workspaceId;
      const now = deps.clock.now();
      await db.transaction().execute(async (trx) => {
        await writeFollowupSettings(trx, ws, request.body, now);
        await appendAudit(trx, { workspaceId: ws, actor: actorOf(principalOf(request)), action: 'followup.settings.update', target: { type: 'workspace', id: ws }, details: request.body, at: now });
      });
      return request.body;
    });
  };
