import type { PlatformApp } from '@platform/core';
import { z } from 'zod';
import type { Detector } from '../services/detector.js';
import { checkText } from '../services/text-input.js';

const Body = z.object({ text: z.string(), top_k: z.int().min(1).max(20).default(3) });
const Candidate = z.object({ language: z.string(), confidence: z.number() });
const Answer = z.object({
  language: z.string(),
  script: z.string().nullable(),
  confidence: z.number(),
  candidates: z.array(Candidate),
});

export function registerDetectRoute(app: PlatformApp, detector: Detector, maxChars: number): void {
  app.post(
    '/v1/detect',
    {
      config: { auth: 'api' },
      schema: { summary: 'Identify the language (fastText) and script of a text', body: Body, response: { 200: Answer } },
    },
    async (request) => {
      checkText(request.body.text, maxChars);
      return detector.detect(request.body.text, request.body.top_k);
    },
  );
}
