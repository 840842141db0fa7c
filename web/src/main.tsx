import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { notifyManager, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App } from './App.tsx';
import { restoreFromUrl } from './features/navigation/use-url-sync.ts';
import { restoreFollowFromUrl } from './features/follow/presenter-sync.ts';
import { installProbe } from './perf/probe.ts';
import './styles.css';

// Query updates reach React in the same task as the change (a microtask, not a timer), so a
// live flush and the render it causes are one piece of work: nothing queues between them.
notifyManager.setScheduler(queueMicrotask);

const queryClient = new QueryClient({
  defaultOptions: { queries: { refetchOnWindowFocus: false } },
});

installProbe();
// A link opens where it points: session, connection, tab, selection and filters, before the first render.
restoreFromUrl();
restoreFollowFromUrl();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <App />
    </QueryClientProvider>
  </StrictMode>,
);
