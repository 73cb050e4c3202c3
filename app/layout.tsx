import type { Metadata } from 'next';
import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import type { ReactNode } from 'react';
import { AppHeader } from '@/components/app-header';
import { SessionProvider } from '@/components/session-context';
import { currentUser } from './_lib/current-user';
import './globals.css';
import { Providers } from './providers';

export const metadata: Metadata = {
  title: { default: 'Kastor', template: '%s · Kastor' },
  description: 'Ingest Apache Kafka topics into Azure Data Explorer, with lag, throughput and failures in view.',
};

/**
 * Every page needs a signed-in user but the sign-in page; proxy.ts already sent browsers without a
 * session cookie there, this catches a cookie whose session ended.
 */
export default async function RootLayout({ children }: { children: ReactNode }) {
  const user = await currentUser();
  const path = (await headers()).get('x-kastor-path') ?? '/';
  if (!user && !path.startsWith('/sign-in')) redirect(`/sign-in?returnTo=${encodeURIComponent(path)}`);
  return (
    <html lang="en">
      <body className="min-h-screen">
        <a
          href="#main"
          className="sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2 focus:text-sm"
        >
          Skip to content
        </a>
        <Providers>
          <SessionProvider user={user}>
            <AppHeader user={user} />
            <main id="main" className="mx-auto max-w-7xl px-4 py-6 sm:px-6">
              {children}
            </main>
          </SessionProvider>
        </Providers>
      </body>
    </html>
  );
}
