// The replay's preview on the stream's admin page: the trimmed playlists as viewers get them,
// played with hls.js (Safari plays HLS itself).
(function () {
  const video = document.querySelector("[data-replay-preview]");
  if (!video) return;
  const url = video.dataset.masterUrl;
  if (window.Hls && window.Hls.isSupported()) {
    const hls = new window.Hls();
    hls.loadSource(url);
    hls.attachMedia(video);
  } else if (video.canPlayType("application/vnd.apple.mpegurl")) {
    video.src = url;
  }
})();
