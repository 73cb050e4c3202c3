'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import type { ReactNode } from 'react';

/** A header link, marked current on its own page and on every page under one of its sections. */
export function NavLink({ href, sections = [], children }: { href: string; sections?: string[]; children: ReactNode }) {
  const pathname = usePathname();
  const current = pathname === href || sections.some((section) => pathname.startsWith(`${section}/`));
  return (
    <Link
      href={href}
      aria-current={current ? 'page' : undefined}
      className={`rounded-md px-3 py-1.5 text-sm font-medium whitespace-nowrap transition-colors ${
        current ? 'bg-slate-800 text-white' : 'text-slate-300 hover:bg-slate-800/60 hover:text-white'
      }`}
    >
      {children}
    </Link>
  );
}
