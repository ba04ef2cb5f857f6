// A CPU-pool thread's module (see createCardRenderer): satori and resvg run here, off the event loop.
import type { WrappedReport } from '../analytics/report.js';
import { renderCard, type CardLayout } from './card.js';

export interface CardTask {
  report: WrappedReport;
  layout: CardLayout;
}

export default function render(task: CardTask): Promise<Buffer> {
  return renderCard(task.report, task.layout);
}
