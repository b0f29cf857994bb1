import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { api } from '../api/endpoints';
import { ApiError, setCsrfToken } from '../api/client';
import type { Session } from '../api/types';

export const SESSION_KEY = ['session'] as const;

async function loadSession(): Promise<Session | null> {
  try {
    const s = await api.me();
    setCsrfToken(s.csrfToken);
    return s;
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) {
      setCsrfToken(null);
      return null;
    }
    throw err;
  }
}

/** The logged-in person, or null when nobody is logged in. */
export function useSession() {
  return useQuery({
    queryKey: SESSION_KEY,
    queryFn: loadSession,
    staleTime: 60_000,
    retry: false,
  });
}

export function useSessionActions() {
  const qc = useQueryClient();
  const signIn = useCallback(
    (s: Session) => {
      setCsrfToken(s.csrfToken);
      qc.setQueryData(SESSION_KEY, s);
    },
    [qc],
  );
  const signOutLocally = useCallback(() => {
    setCsrfToken(null);
    qc.removeQueries({ predicate: (q) => q.queryKey[0] !== SESSION_KEY[0] });
    qc.setQueryData(SESSION_KEY, null);
  }, [qc]);
  const refresh = useCallback(() => qc.invalidateQueries({ queryKey: SESSION_KEY }), [qc]);
  return { signIn, signOutLocally, refresh };
}
