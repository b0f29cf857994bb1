import { useOutletContext } from 'react-router';
import type { Membership, Role } from '../api/types';

export interface WorkspaceContext {
  workspaceId: string;
  workspaceName: string;
  role: Role;
  membership: Membership;
}

/** The workspace chosen in the URL (/w/:workspaceId/...) and the person's role in it. */
export function useWorkspace(): WorkspaceContext {
  return useOutletContext<WorkspaceContext>();
}
