import { Center, Loader } from '@mantine/core';
import { Suspense, lazy } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router';
import { useCurrentPerson, useSessionRenewal } from './auth/session';
import { Layout } from './components/Layout';
import { SignInPage } from './pages/SignInPage';

// Each page is its own chunk: the first page loads only the layout and itself.
const loadHomePage = () => import('./pages/HomePage');
const loadSearchPage = () => import('./pages/SearchPage');
const HomePage = lazy(loadHomePage);
const EnrolPage = lazy(() => import('./pages/EnrolPage'));
const SubmitReportPage = lazy(() => import('./pages/SubmitReportPage'));
const ReportStatusPage = lazy(() => import('./pages/ReportStatusPage'));
const SearchPage = lazy(loadSearchPage);
// The pages most often opened first start loading beside the session check, not after it (bench:console: on a busy
// machine the page's chunks came a second later).
const OPENED_FIRST: Record<string, () => Promise<unknown>> = { '/': loadHomePage, '/indicators': loadSearchPage };
void OPENED_FIRST[window.location.pathname]?.();
const IndicatorPage = lazy(() => import('./pages/IndicatorPage'));
const LookupPage = lazy(() => import('./pages/LookupPage'));
const ApplicationsPage = lazy(() => import('./pages/ApplicationsPage'));
const OrganisationsPage = lazy(() => import('./pages/OrganisationsPage'));
const ResponsiblePage = lazy(() => import('./pages/ResponsiblePage'));
const MailLogPage = lazy(() => import('./pages/MailLogPage'));
const SubscriptionsPage = lazy(() => import('./pages/SubscriptionsPage'));
const PeoplePage = lazy(() => import('./pages/PeoplePage'));
const ApiKeysPage = lazy(() => import('./pages/ApiKeysPage'));
const AuditLogPage = lazy(() => import('./pages/AuditLogPage'));
const NetworkHealthPage = lazy(() => import('./pages/NetworkHealthPage'));
const DirectoryPage = lazy(() => import('./pages/DirectoryPage'));
const DirectoryEntryPage = lazy(() => import('./pages/DirectoryEntryPage'));
const DirectoryEditPage = lazy(() => import('./pages/DirectoryEditPage'));
const ApplicationDetailPage = lazy(() => import('./pages/ApplicationDetailPage'));

const Loading = () => (
  <Center h="60vh">
    <Loader aria-label="…" />
  </Center>
);

export function App() {
  const me = useCurrentPerson();
  const location = useLocation();
  useSessionRenewal(Boolean(me.data));
  if (me.isPending) return <Loading />;
  const person = me.data ?? null;
  if (!person) {
    return (
      <Routes>
        <Route path="/sign-in" element={<SignInPage />} />
        <Route path="*" element={<Navigate to="/sign-in" state={{ from: location.pathname }} replace />} />
      </Routes>
    );
  }
  const administers = person.role === 'org-admin' || person.role === 'coordinator';
  if (person.second_factor_missing && location.pathname !== '/enrol') return <Navigate to="/enrol" replace />;
  return (
    <Layout person={person}>
      <Suspense fallback={<Loading />}>
        <Routes>
          <Route path="/" element={<HomePage />} />
          <Route path="/enrol" element={<EnrolPage />} />
          <Route path="/reports/new" element={<SubmitReportPage />} />
          <Route path="/reports/:id" element={<ReportStatusPage />} />
          <Route path="/indicators" element={<SearchPage />} />
          <Route path="/indicators/:id" element={<IndicatorPage />} />
          <Route path="/lookup" element={<LookupPage />} />
          {administers && <Route path="/applications" element={<ApplicationsPage />} />}
          {administers && <Route path="/applications/:id" element={<ApplicationDetailPage />} />}
          {person.role === 'coordinator' && <Route path="/network-health" element={<NetworkHealthPage />} />}
          <Route path="/subscriptions" element={<SubscriptionsPage />} />
          <Route path="/directory/responsible" element={<ResponsiblePage />} />
          <Route path="/directory" element={<DirectoryPage />} />
          <Route path="/directory/:id" element={<DirectoryEntryPage />} />
          {administers && <Route path="/directory/:id/edit" element={<DirectoryEditPage />} />}
          {person.role === 'coordinator' && <Route path="/organisations" element={<OrganisationsPage />} />}
          {person.role === 'coordinator' && <Route path="/mail-log" element={<MailLogPage />} />}
          {administers && <Route path="/people" element={<PeoplePage />} />}
          {administers && <Route path="/api-keys" element={<ApiKeysPage />} />}
          {administers && <Route path="/audit" element={<AuditLogPage />} />}
          <Route path="/sign-in" element={<Navigate to="/" replace />} />
          <Route path="*" element={<Navigate to="/" replace />} />
        </Routes>
      </Suspense>
    </Layout>
  );
}
