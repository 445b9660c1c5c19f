// Walks the portal in Debian's Chromium (playwright-core, no browser download) and runs
// axe-core (from npm, injected into each page). Prints one JSON line per page and exits
// non-zero when a page fails to load or axe finds a serious or critical violation.
//
//   node tests/e2e/browser/walk.mjs <portal url> <steps.json>
//
// steps.json: [{"name": ..., "path": ..., "click": "css selector"?, "fill": {"#id": "value"}?,
//               "submit": "css selector"?, "expect": "text"?, "status": 200?}]
import { createRequire } from "node:module";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
// The packages are installed once, for the gateway (services/gateway/package.json).
const require = createRequire(join(here, "../../../services/gateway/package.json"));
const { chromium } = require("playwright-core");
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

const [base, stepsFile] = process.argv.slice(2);
const steps = JSON.parse(readFileSync(stepsFile, "utf8"));
const userDataDir = mkdtempSync(join(tmpdir(), "weerbaar-chromium-"));
const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";

let failed = false;
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath,
  headless: true,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
try {
  const page = context.pages()[0] || (await context.newPage());
  // The real stack on a busy CI runner can be slow to answer a login round trip.
  page.setDefaultTimeout(60000);
  page.setDefaultNavigationTimeout(90000);
  const cspViolations = [];
  page.on("console", (msg) => {
    if (/Content Security Policy/i.test(msg.text())) cspViolations.push(msg.text());
  });
  for (const step of steps) {
    const result = { name: step.name };
    try {
      let response = null;
      if (step.path) response = await page.goto(base + step.path, { waitUntil: "load" });
      for (const [selector, value] of Object.entries(step.fill || {})) {
        await page.fill(selector, value);
      }
      for (const [selector, file] of Object.entries(step.upload || {})) {
        await page.setInputFiles(selector, file);
      }
      for (const [selector, value] of Object.entries(step.select || {})) {
        await page.selectOption(selector, value);
      }
      const action = step.click || step.submit;
      if (action) {
        const [nav] = await Promise.all([
          page.waitForNavigation({ waitUntil: "load" }).catch(() => null),
          page.click(action),
        ]);
        response = nav || response;
      }
      result.url = page.url().replace(base, "");
      result.status = response ? response.status() : null;
      result.title = await page.title();
      const text = await page.innerText("body");
      if (step.expect && !text.includes(step.expect)) {
        throw new Error(`expected text not on the page: ${step.expect}`);
      }
      if (step.status && result.status !== step.status) {
        throw new Error(`expected status ${step.status}, got ${result.status}`);
      }
      // Keyboard: the first Tab lands on the skip link, and it leads to the main content.
      if (step.keyboard) {
        await page.keyboard.press("Tab");
        const focused = await page.evaluate(() => document.activeElement && document.activeElement.className);
        if (!String(focused).includes("utrecht-skip-link")) throw new Error(`first Tab focused ${focused}`);
      }
      // Evaluated over the DevTools protocol: our CSP rightly forbids inline <script>.
      await page.evaluate(axeSource);
      const axe = await page.evaluate(async () =>
        await window.axe.run(document, { runOnly: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] }));
      const serious = axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
      result.violations = axe.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length,
        targets: v.nodes.slice(0, 3).map((n) => n.target.join(" ")) }));
      result.serious = serious.length;
      if (serious.length) failed = true;
    } catch (err) {
      result.error = String(err && err.message || err);
      failed = true;
    }
    console.log(JSON.stringify(result));
  }
  if (cspViolations.length) {
    console.log(JSON.stringify({ name: "csp", error: cspViolations.slice(0, 5) }));
    failed = true;
  }
} finally {
  await context.close();
  rmSync(userDataDir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
