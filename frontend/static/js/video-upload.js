// Chunked, resumable video upload for the editors' video library.
// A chunk is sent at the offset the server confirmed; after a dropped connection the same
// file continues where it stopped (also after a reload: the upload id is kept per file).
const form = document.querySelector("[data-video-upload]");
const texts = JSON.parse(document.getElementById("video-upload-texts").textContent);
const csrfToken = form.querySelector("[name=csrfmiddlewaretoken]").value;
const bar = form.querySelector("[data-upload-bar]");
const percent = form.querySelector("[data-upload-percent]");
const progress = form.querySelector("[data-upload-progress]");
const errorBox = form.querySelector("[data-upload-error]");
const messageBox = form.querySelector("[data-upload-message]");
const submit = form.querySelector("[data-upload-submit]");
const RETRIES = 8;

const show = (box, text) => {
  box.textContent = text || "";
  box.hidden = !text;
};

const setProgress = (sent, total) => {
  const value = total ? Math.floor((100 * sent) / total) : 0;
  bar.value = value;
  percent.textContent = `${value}%`;
};

const storageKey = (file) => `leerstroom-upload:${file.name}:${file.size}:${file.lastModified}`;

async function requestJson(url, options = {}) {
  const response = await fetch(url, {
    credentials: "same-origin",
    ...options,
    headers: { "X-CSRFToken": csrfToken, ...(options.headers || {}) },
  });
  const body = await response.json().catch(() => ({}));
  return { ok: response.ok, status: response.status, body };
}

function sendChunk(url, blob, onProgress, method = "POST") {
  // XMLHttpRequest reports upload progress; fetch does not.
  return new Promise((resolve) => {
    const request = new XMLHttpRequest();
    request.open(method, url);
    if (method === "POST") {
      request.setRequestHeader("X-CSRFToken", csrfToken);
      request.setRequestHeader("Content-Type", "application/octet-stream");
    }
    request.upload.onprogress = (event) => onProgress(event.loaded);
    request.onload = () => {
      let body = {};
      try {
        body = JSON.parse(request.responseText);
      } catch {
        // keep the empty body
      }
      resolve({ ok: request.status < 300, status: request.status, body });
    };
    request.onerror = () => resolve({ ok: false, status: 0, body: {} });
    request.send(blob);
  });
}

const pause = (ms) => new Promise((done) => setTimeout(done, ms));

async function resumeOrStart(file, title) {
  const saved = localStorage.getItem(storageKey(file));
  if (saved) {
    const status = await requestJson(JSON.parse(saved).status_url);
    if (status.ok) return status.body;
  }
  const started = await requestJson(form.dataset.startUrl, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ title, filename: file.name, size: file.size, direct: true }),
  });
  if (!started.ok) throw new Error(started.body.error || texts.failed);
  localStorage.setItem(storageKey(file), JSON.stringify(started.body));
  return started.body;
}

// With S3 each part goes straight to the bucket with a presigned URL; parts the bucket already
// holds (from an earlier attempt) are skipped.
async function uploadToBucket(file, upload) {
  const partBytes = upload.part_bytes;
  const done = new Set(upload.parts);
  const count = Math.max(1, Math.ceil(file.size / partBytes));
  let stored = upload.received;
  if (stored > 0) show(messageBox, texts.resuming);
  for (let part = 1; part <= count; part += 1) {
    if (done.has(part)) continue;
    const blob = file.slice((part - 1) * partBytes, Math.min(part * partBytes, file.size));
    let failures = 0;
    for (;;) {
      const signed = await requestJson(`${upload.part_url}?part=${part}`, { method: "POST" });
      if (!signed.ok) throw new Error(signed.body.error || texts.failed);
      const result = await sendChunk(signed.body.url, blob, (loaded) => setProgress(stored + loaded, file.size), "PUT");
      if (result.ok) break;
      failures += 1;
      if (failures > RETRIES) throw new Error(texts.offline);
      show(messageBox, texts.retrying);
      await pause(Math.min(30000, 1000 * 2 ** failures));
    }
    stored += blob.size;
    show(messageBox, "");
    setProgress(stored, file.size);
  }
}

async function upload(file, title) {
  const chunkBytes = Number(form.dataset.chunkBytes);
  let upload = await resumeOrStart(file, title);
  if (upload.mode === "s3") {
    await uploadToBucket(file, upload);
    return finish(file, upload);
  }
  let received = upload.received;
  if (received > 0) show(messageBox, texts.resuming);
  let failures = 0;
  while (received < file.size) {
    const blob = file.slice(received, Math.min(received + chunkBytes, file.size));
    const url = `${upload.chunk_url}?offset=${received}`;
    const result = await sendChunk(url, blob, (loaded) => setProgress(received + loaded, file.size));
    if (result.ok) {
      received = result.body.received;
      failures = 0;
      show(messageBox, "");
    } else if (result.status === 409 && Number.isInteger(result.body.received)) {
      received = result.body.received;
    } else if (result.status === 0 || result.status >= 500) {
      failures += 1;
      if (failures > RETRIES) throw new Error(texts.offline);
      show(messageBox, texts.retrying);
      await pause(Math.min(30000, 1000 * 2 ** failures));
      const status = await requestJson(upload.status_url);
      if (status.ok) received = status.body.received;
    } else {
      throw new Error(result.body.error || texts.failed);
    }
    setProgress(received, file.size);
  }
  return finish(file, upload);
}

async function finish(file, upload) {
  const done = await requestJson(upload.complete_url, { method: "POST" });
  if (!done.ok) throw new Error(done.body.error || texts.failed);
  localStorage.removeItem(storageKey(file));
  return done.body;
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  show(errorBox, "");
  const title = form.elements.title.value.trim();
  const file = form.elements.file.files[0];
  if (!title) return show(errorBox, texts.needTitle);
  if (!file) return show(errorBox, texts.needFile);
  submit.disabled = true;
  progress.hidden = false;
  try {
    const result = await upload(file, title);
    show(messageBox, texts.done);
    window.location.assign(result.edit_url);
  } catch (error) {
    // The title and the chosen file stay in the form: choosing Upload again resumes.
    show(errorBox, error.message);
    submit.disabled = false;
  }
});
