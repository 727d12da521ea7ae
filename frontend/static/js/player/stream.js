// Attaches an HLS stream to a <video>: hls.js where the browser has Media Source Extensions,
// the browser's own HLS elsewhere (Safari on iPhone). Shared by the episode player and the
// video preview in the admin.

// A webinar plays three segments behind the newest stored one (Apple's rule for where a player
// starts; with 1-s segments ~3-4 s behind the presenter); a viewer who falls further behind
// catches up by playing slightly faster, and one six segments behind (a stall) jumps back to it
// (decision 17). In segments, so the distances follow LIVE_SEGMENT_SECONDS. The live page lifts
// the jump while the viewer is away from live on purpose (live.js).
export const LIVE_MAX_LATENCY_SEGMENTS = 6;
const LIVE = { liveSyncDurationCount: 3, liveMaxLatencyDurationCount: LIVE_MAX_LATENCY_SEGMENTS, maxLiveSyncPlaybackRate: 1.1 };

export function streamAttach(video, url, { startAt = 0, live = false, withCookies = false, onLevels, onLevelSwitched, onProblem } = {}) {
  const Hls = window.Hls;
  if (Hls && Hls.isSupported()) {
    // A live stream starts at its live edge (-1), a lecture where the learner left off.
    const start = { startPosition: live ? -1 : startAt, capLevelToPlayerSize: true };
    // A webinar's files may be on the CDN, another origin: its signed cookies go along.
    if (withCookies) start.xhrSetup = (xhr) => { xhr.withCredentials = true; };
    const hls = new Hls(live ? { ...start, ...LIVE } : start);
    if (onLevels) hls.on(Hls.Events.MANIFEST_PARSED, () => onLevels(hls));
    if (onLevelSwitched) hls.on(Hls.Events.LEVEL_SWITCHED, () => onLevelSwitched(hls));
    hls.on(Hls.Events.ERROR, (_event, data) => {
      if (!data.fatal) return;
      if (data.type === Hls.ErrorTypes.NETWORK_ERROR) {
        const status = data.response && data.response.code;
        if (status === 403) return onProblem && onProblem("expired");
        if (onProblem) onProblem("network");
        setTimeout(() => hls.startLoad(), 3000);
      } else if (data.type === Hls.ErrorTypes.MEDIA_ERROR) {
        hls.recoverMediaError();
      } else if (onProblem) {
        onProblem("failed");
      }
    });
    hls.loadSource(url);
    hls.attachMedia(video);
    return { hls, native: false };
  }
  if (video.canPlayType("application/vnd.apple.mpegurl")) {
    video.src = url;
    if (startAt) {
      video.addEventListener("loadedmetadata", () => { video.currentTime = startAt; }, { once: true });
    }
    return { hls: null, native: true };
  }
  if (onProblem) onProblem("unsupported");
  return null;
}
