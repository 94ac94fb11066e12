// Puppeteer must never download its own Chrome: the machines have no route to it.
// Sessions launch Debian's Chromium (see CHROMIUM_PATH in .env.example).
module.exports = { skipDownload: true };
