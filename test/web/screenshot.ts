// Takes the README's screenshot of the editors' page: `npx tsx test/web/screenshot.ts docs/editors-page.png`.
// The page is the test fixture's: a database seeded through the ask service with real questions.
import { launchChromium } from './browser.ts';
import { startSeededPage, TOKEN } from './fixture.ts';

const target = process.argv[2] ?? 'docs/editors-page.png';
const width = Number(process.argv[3] ?? 1100);
const page = await startSeededPage({ days: 10 });
const browser = await launchChromium({ width, height: 900 });
try {
  const tab = await browser.context.newPage();
  await tab.setExtraHTTPHeaders({ authorization: `Bearer ${TOKEN}` });
  await tab.goto(page.url);
  await tab.screenshot({ path: target, fullPage: true });
  process.stdout.write(`saved ${target}\n`);
} finally {
  await browser.close();
  await page.stop();
}
