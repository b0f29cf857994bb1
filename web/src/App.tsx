import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useEffect, useState, type ReactNode } from 'react';
import { BrowserRouter, Navigate, Route, Routes, useNavigate } from 'react-router';
import { ApiError, setAuthRequiredHandler } from './api/client';
import { useSession, useSessionActions } from './auth/session';
import { FullPageLoader } from './components/FullPageLoader';
import { Shell } from './components/Shell';
import { CAPABILITIES } from './pages/capabilities';
import { CapabilityPage } from './pages/CapabilityPage';
import { CustomerPage } from './pages/customers/CustomerPage';
import { CustomersPage } from './pages/customers/CustomersPage';
import { ReviewQueuePage } from './pages/customers/ReviewQueuePage';
import { FeedbackReportsPage } from './pages/feedback/FeedbackReportsPage';
import { ResponsesPage } from './pages/feedback/ResponsesPage';
import { SurveyEditorPage } from './pages/feedback/SurveyEditorPage';
import { SurveysPage } from './pages/feedback/SurveysPage';
import { InboxPage } from './pages/followups/InboxPage';
import { ReportsPage } from './pages/followups/ReportsPage';
import { RulesPage } from './pages/followups/RulesPage';
import { TaskPage } from './pages/followups/TaskPage';
import { AllHandsPage } from './pages/allhands/AllHandsPage';
import { HomePage } from './pages/HomePage';
import { AtRiskPage } from './pages/insight/AtRiskPage';
import { LoginPage } from './pages/LoginPage';
import { NoWorkspacePage } from './pages/NoWorkspacePage';
import { SettingsPage } from './pages/settings/SettingsPage';
import { SourcesPage } from './pages/sources/SourcesPage';
import { theme } from './theme';

/** Capability areas with real pages: their placeholder gives way (the navbar still lists them all). */
const BUILT = new Set(['customers', 'feedback', 'follow-ups']);

function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 10_000,
        refetchOnWindowFocus: false,
        retry: (count, err) => {
          if (err instanceof ApiError && err.status >= 400 && err.status < 500) return false;
          return count < 2;
        },
      },
    },
  });
}

/** Routes a 401 AUTH_REQUIRED from any request back to the login page. */
function AuthRedirect() {
  const navigate = useNavigate();
  const { signOutLocally } = useSessionActions();
  useEffect(() => {
    setAuthRequiredHandler(() => {
      signOutLocally();
      navigate('/login', { replace: true });
    });
  }, [navigate, signOutLocally]);
  return null;
}

/** `/`: go to the first workspace, or log in. */
function RootRedirect() {
  const session = useSession();
  if (session.isPending) return <FullPageLoader />;
  if (!session.data) return <Navigate to="/login" replace />;
  const first = session.data.memberships[0];
  if (!first) return <Navigate to="/welcome" replace />;
  return <Navigate to={`/w/${encodeURIComponent(first.workspaceId)}`} replace />;
}

function RequireSession({ children }: { children: ReactNode }) {
  const session = useSession();
  if (session.isPending) return <FullPageLoader />;
  if (!session.data) return <Navigate to="/login" replace />;
  return <>{children}</>;
}

export function App() {
  const [queryClient] = useState(makeQueryClient);
  return (
    <MantineProvider theme={theme} defaultColorScheme="light">
      <QueryClientProvider client={queryClient}>
        <BrowserRouter>
          <AuthRedirect />
          <Routes>
            <Route path="/login" element={<LoginPage />} />
            <Route
              path="/welcome"
              element={
                <RequireSession>
                  <NoWorkspacePage />
                </RequireSession>
              }
            />
            {/* The office screen: full window, without the app's navigation. */}
            <Route
              path="/w/:workspaceId/all-hands"
              element={
                <RequireSession>
                  <AllHandsPage />
                </RequireSession>
              }
            />
            <Route
              path="/w/:workspaceId"
              element={
                <RequireSession>
                  <Shell />
                </RequireSession>
              }
            >
              <Route index element={<HomePage />} />
              <Route path="sources" element={<SourcesPage />} />
              <Route path="customers" element={<CustomersPage />} />
              <Route path="customers/review" element={<ReviewQueuePage />} />
              <Route path="customers/:customerId" element={<CustomerPage />} />
              <Route path="feedback" element={<SurveysPage />} />
              <Route path="feedback/surveys/:surveyId" element={<SurveyEditorPage />} />
              <Route path="feedback/responses" element={<ResponsesPage />} />
              <Route path="feedback/reports" element={<FeedbackReportsPage />} />
              <Route path="follow-ups" element={<InboxPage />} />
              <Route path="follow-ups/tasks/:taskId" element={<TaskPage />} />
              <Route path="follow-ups/rules" element={<RulesPage />} />
              <Route path="follow-ups/reports" element={<ReportsPage />} />
              <Route path="insight/at-risk" element={<AtRiskPage />} />
              {CAPABILITIES.filter((c) => !BUILT.has(c.path)).map((c) => (
                <Route key={c.path} path={c.path} element={<CapabilityPage capability={c} />} />
              ))}
              <Route path="settings" element={<Navigate to="members" replace />} />
              <Route path="settings/:tab" element={<SettingsPage />} />
              <Route path="*" element={<Navigate to="." replace />} />
            </Route>
            <Route path="*" element={<RootRedirect />} />
          </Routes>
        </BrowserRouter>
      </QueryClientProvider>
    </MantineProvider>
  );
}
