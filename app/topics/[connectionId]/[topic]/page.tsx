import type { Metadata } from 'next';
import { TopicPage } from '@/components/topics/topic-page';

export async function generateMetadata({ params }: { params: Promise<{ topic: string }> }): Promise<Metadata> {
  return { title: decodeURIComponent((await params).topic) };
}

export default async function TopicRoute({ params }: { params: Promise<{ connectionId: string; topic: string }> }) {
  const { connectionId, topic } = await params;
  return <TopicPage connectionId={decodeURIComponent(connectionId)} topic={decodeURIComponent(topic)} />;
}
