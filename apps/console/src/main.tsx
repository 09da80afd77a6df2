import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import './i18n';
import { CSSVariablesResolver, Loader, MantineProvider, createTheme } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { App, startOpenedPage } from './App';
import { currentPersonQuery } from './auth/session';

const queryClient = new QueryClient({
  defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: false } },
});
// The session check starts before the first render (bench:console: a seventh of a second earlier), and with it what
// the page opened needs.
void queryClient.prefetchQuery(currentPersonQuery);
startOpenedPage(queryClient);

// Darker shades and black-or-white text chosen by contrast: WCAG AA, checked by the browser tests' axe scan.
// Loaders are a status (ARIA allows their aria-label only on an element with a role).
const theme = createTheme({
  primaryColor: 'indigo',
  primaryShade: 9,
  autoContrast: true,
  luminanceThreshold: 0.18,
  components: { Loader: Loader.extend({ defaultProps: { role: 'status' } }) },
});
const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: { '--mantine-color-dimmed': 'var(--mantine-color-gray-7)' },
  dark: {},
});

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver}>
        <Notifications />
        <QueryClientProvider client={queryClient}>
          <BrowserRouter>
            <App />
          </BrowserRouter>
        </QueryClientProvider>
      </MantineProvider>
    </StrictMode>,
  );
}
