import type { Metadata } from 'next';
import { Suspense } from 'react';
import { TopicsPage } from '@/components/topics/topics-page';

export const metadata: Metadata = { title: 'Topics' };

export default function TopicsRoute() {
  // The connection is read from ?connection= on the client; Next needs a boundary for that.
  return (
    <Suspense>
      <TopicsPage />
    </Suspense>
  );
}
