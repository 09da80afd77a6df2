import { Center, Loader } from '@mantine/core';
import { ComponentType, Suspense, lazy } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router';
import { QueryClient } from '@tanstack/react-query';
import { csrfToken } from './api/client';
import { useCurrentPerson, useSessionRenewal } from './auth/session';
import { indicatorSearchQuery, searchFiltersOf } from './indicators/search-query';
import { Layout } from './components/Layout';
import { SignInPage } from './pages/SignInPage';

type PageModule = { default: ComponentType };

/**
 * A page in its own chunk (the first page loads only the layout and itself). Once its chunk has arrived the page
 * renders at once: React.lazy would suspend on every first render, and React holds a revealed Suspense boundary for
 * 300 ms (bench:console: the search page's rows a quarter of a second late, with the main thread idle).
 */
function lazyPage(load: () => Promise<PageModule>): ComponentType & { preload: () => Promise<PageModule> } {
  let loaded: ComponentType | undefined;
  let loading: Promise<PageModule> | undefined;
  const preload = () =>
    (loading ??= load().then((module) => {
      loaded = module.default;
      return module;
    }));
  const Lazy = lazy(preload);
  const Page = () => {
    const Loaded = loaded;
    return Loaded ? <Loaded /> : <Lazy />;
  };
  return Object.assign(Page, { preload });
}

const HomePage = lazyPage(() => import('./pages/HomePage'));
const EnrolPage = lazyPage(() => import('./pages/EnrolPage'));
const SubmitReportPage = lazyPage(() => import('./pages/SubmitReportPage'));
const ReportStatusPage = lazyPage(() => import('./pages/ReportStatusPage'));
const SearchPage = lazyPage(() => import('./pages/SearchPage'));
const IndicatorPage = lazyPage(() => import('./pages/IndicatorPage'));
const LookupPage = lazyPage(() => import('./pages/LookupPage'));
const ApplicationsPage = lazyPage(() => import('./pages/ApplicationsPage'));
const OrganisationsPage = lazyPage(() => import('./pages/OrganisationsPage'));
const ResponsiblePage = lazyPage(() => import('./pages/ResponsiblePage'));
const MailLogPage = lazyPage(() => import('./pages/MailLogPage'));
const SubscriptionsPage = lazyPage(() => import('./pages/SubscriptionsPage'));
const PeoplePage = lazyPage(() => import('./pages/PeoplePage'));
const ApiKeysPage = lazyPage(() => import('./pages/ApiKeysPage'));
const AuditLogPage = lazyPage(() => import('./pages/AuditLogPage'));
const NetworkHealthPage = lazyPage(() => import('./pages/NetworkHealthPage'));
const DirectoryPage = lazyPage(() => import('./pages/DirectoryPage'));
const DirectoryEntryPage = lazyPage(() => import('./pages/DirectoryEntryPage'));
const DirectoryEditPage = lazyPage(() => import('./pages/DirectoryEditPage'));
const ApplicationDetailPage = lazyPage(() => import('./pages/ApplicationDetailPage'));

/**
 * Starts what the page opened directly needs beside the session check, before the first render (bench:console: the
 * page's chunks came a second later on a busy machine, its first results a third of a second later): the home and
 * search pages' chunks, and the search page's first results when a session's readable cookie is there (signed out,
 * that request would answer 401).
 */
export function startOpenedPage(queryClient: QueryClient): void {
  const { pathname, search } = window.location;
  if (pathname === '/') void HomePage.preload();
  if (pathname !== '/indicators') return;
  void SearchPage.preload();
  if (csrfToken()) {
    void queryClient.prefetchInfiniteQuery(indicatorSearchQuery(searchFiltersOf(new URLSearchParams(search))));
  }
}

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
