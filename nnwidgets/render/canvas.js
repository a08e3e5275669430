// nnwidgets fast layer: a static PNG background drawn once by matplotlib,
// with the dynamic marks drawn on top on a <canvas>. Marks are in data
// coordinates of one of the figure's axes; the kernel sends the axes boxes once.
function decodeBase64(text) {
  const raw = atob(text);
  const bytes = new Uint8ClampedArray(raw.length);
  for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  return bytes;
}

function makeTransform(box, width, height) {
  const scale = (v, lim, log) => {
    if (log) { v = Math.log10(Math.max(v, 1e-300)); lim = lim.map((l) => Math.log10(l)); }
    return (v - lim[0]) / (lim[1] - lim[0]);
  };
  return {
    x: (v) => (box.x0 + scale(v, box.xlim, box.xlog) * (box.x1 - box.x0)) * width,
    y: (v) => (1 - (box.y0 + scale(v, box.ylim, box.ylog) * (box.y1 - box.y0))) * height,
    clip: [box.x0 * width, (1 - box.y1) * height, (box.x1 - box.x0) * width, (box.y1 - box.y0) * height],
  };
}

function drawPath(ctx, t, xs, ys) {
  ctx.beginPath();
  let pen = false;
  for (let i = 0; i < xs.length; i++) {
    if (xs[i] === null || ys[i] === null) { pen = false; continue; }
    const px = t.x(xs[i]), py = t.y(ys[i]);
    if (pen) ctx.lineTo(px, py); else ctx.moveTo(px, py);
    pen = true;
  }
}

function pick(value, i) { return Array.isArray(value) ? value[i] : value; }

function drawPoints(ctx, t, m) {
  for (let i = 0; i < m.xs.length; i++) {
    const px = t.x(m.xs[i]), py = t.y(m.ys[i]), r = pick(m.size, i) / 2;
    const marker = pick(m.marker, i);
    ctx.beginPath();
    if (marker === "s") ctx.rect(px - r, py - r, 2 * r, 2 * r);
    else if (marker === "x") { ctx.moveTo(px - r, py - r); ctx.lineTo(px + r, py + r); ctx.moveTo(px + r, py - r); ctx.lineTo(px - r, py + r); }
    else ctx.arc(px, py, r, 0, 2 * Math.PI);
    if (marker !== "x") { ctx.fillStyle = pick(m.fill, i); ctx.fill(); }
    if (m.edge) { ctx.strokeStyle = pick(m.edge, i); ctx.lineWidth = m.edge_width || 1.5; ctx.stroke(); }
    else if (marker === "x") { ctx.strokeStyle = pick(m.fill, i); ctx.lineWidth = m.edge_width || 2.5; ctx.stroke(); }
  }
}

function drawRaster(ctx, t, m, cache) {
  let image = cache.get(m.rgba);
  if (!image) {
    image = document.createElement("canvas");
    image.width = m.w; image.height = m.h;
    image.getContext("2d").putImageData(new ImageData(decodeBase64(m.rgba), m.w, m.h), 0, 0);
    cache.clear();
    cache.set(m.rgba, image);
  }
  const [x0, x1, y0, y1] = m.extent;  // row 0 of the raster is the top (y1)
  ctx.imageSmoothingEnabled = !!m.smooth;
  ctx.drawImage(image, t.x(x0), t.y(y1), t.x(x1) - t.x(x0), t.y(y0) - t.y(y1));
}

function drawMark(ctx, t, m, cache) {
  ctx.globalAlpha = m.alpha ?? 1;
  ctx.setLineDash((m.dash || []));
  if (m.type === "line") {
    drawPath(ctx, t, m.xs, m.ys);
    ctx.strokeStyle = m.color; ctx.lineWidth = m.width ?? 2; ctx.stroke();
  } else if (m.type === "polygon") {
    drawPath(ctx, t, m.xs, m.ys);
    ctx.closePath(); ctx.fillStyle = m.fill; ctx.fill();
  } else if (m.type === "points") {
    drawPoints(ctx, t, m);
  } else if (m.type === "text") {
    ctx.font = `${m.weight || "normal"} ${m.size || 12}px sans-serif`;
    ctx.fillStyle = m.color || "#222"; ctx.textAlign = m.ha || "center"; ctx.textBaseline = m.va || "middle";
    ctx.fillText(m.text, t.x(m.x), t.y(m.y));
  } else if (m.type === "rects") {
    const w = m.w, h = m.h;
    for (let i = 0; i < m.xs.length; i++) {
      const x0 = t.x(m.xs[i]), x1 = t.x(m.xs[i] + w), y0 = t.y(m.ys[i]), y1 = t.y(m.ys[i] + h);
      const fill = pick(m.fill, i);
      if (fill) { ctx.fillStyle = fill; ctx.fillRect(x0, y1, x1 - x0, y0 - y1); }
      if (m.edge) { ctx.strokeStyle = pick(m.edge, i); ctx.lineWidth = m.edge_width || 1; ctx.strokeRect(x0, y1, x1 - x0, y0 - y1); }
    }
  } else if (m.type === "raster") {
    drawRaster(ctx, t, m, cache);
  } else {
    throw new Error(`unknown mark type ${m.type}`);
  }
}

function loadImage(bytes) {
  return new Promise((resolve, reject) => {
    const url = URL.createObjectURL(new Blob([bytes], { type: "image/png" }));
    const image = new Image();
    image.onload = () => { URL.revokeObjectURL(url); resolve(image); };
    image.onerror = () => { URL.revokeObjectURL(url); reject(new Error("static image failed to load")); };
    image.src = url;
  });
}

function render({ model, el }) {
  const canvas = document.createElement("canvas");
  canvas.className = "nnwidgets-canvas";
  el.style.minWidth = "0"; el.style.maxWidth = "100%";
  canvas.dataset.frame = "0";
  el.appendChild(canvas);
  const ctx = canvas.getContext("2d");
  const rasters = new Map();
  let background = null;  // the static layer as shown: the PNG with its patches laid over it (a canvas)
  let decoding = { bytes: null, promise: null };  // the PNG being decoded or decoded last (a patch keeps it)
  let generation = 0;
  let loading = false;  // a new picture is being decoded: its axes and marks wait for it (no frame mixes the two)
  let frame = 0;

  function draw() {
    if (loading) return;  // drawn when the picture is ready, with the newest axes and marks
    const width = model.get("width"), height = model.get("height"), ratio = model.get("pixel_ratio");
    if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
      canvas.width = Math.round(width * ratio); canvas.height = Math.round(height * ratio);
      // at most as wide as the output area (a wide graph shrinks instead of being cut), the height following
      canvas.style.width = `${width}px`; canvas.style.maxWidth = "100%"; canvas.style.height = "auto";
    }
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, width, height);
    if (background) ctx.drawImage(background, 0, 0, width, height);
    const boxes = model.get("axes").map((box) => makeTransform(box, width, height));
    for (const m of model.get("marks")) {
      const t = boxes[m.axes || 0];
      ctx.save();
      if (m.clip !== false) { ctx.beginPath(); ctx.rect(...t.clip); ctx.clip(); }
      try { drawMark(ctx, t, m, rasters); } catch (err) { console.error("nnwidgets: cannot draw mark", m.type, err); }
      ctx.restore();
    }
    canvas.dataset.frame = String(++frame);
  }

  async function loadBackground() {
    // the PNG is decoded again only when it changed; patches (parts drawn again) are laid over it at their
    // pixel position, unscaled, so the layer is the picture the kernel rendered, pixel for pixel
    const mine = ++generation;
    const bytes = model.get("background"), patches = model.get("patches") || [];
    if (!bytes || bytes.byteLength === 0) { background = null; loading = false; draw(); return; }
    loading = true;
    try {
      if (decoding.bytes !== bytes) decoding = { bytes, promise: loadImage(bytes) };
      const [image, ...pieces] = await Promise.all([decoding.promise, ...patches.map((p) => loadImage(p.png))]);
      if (mine !== generation) return;  // a newer picture arrived while these were decoded
      const layer = document.createElement("canvas");
      layer.width = image.naturalWidth; layer.height = image.naturalHeight;
      const layerCtx = layer.getContext("2d");
      layerCtx.drawImage(image, 0, 0);
      const scale = image.naturalWidth / model.get("width");
      patches.forEach((p, i) => layerCtx.drawImage(pieces[i], Math.round(p.x * scale), Math.round(p.y * scale)));
      background = layer;
      loading = false;
      draw();
    } catch (err) {
      console.error("nnwidgets: background image failed to load", err);
      if (mine === generation) { loading = false; draw(); }  // the marks at least
    }
  }

  canvas.addEventListener("click", (event) => {
    // report clicks in data coordinates of the axes under the pointer (panels use them to pick cells)
    const rect = canvas.getBoundingClientRect();
    const px = event.clientX - rect.left, py = event.clientY - rect.top;
    model.get("axes").forEach((box, index) => {
      const fx = px / rect.width, fy = 1 - py / rect.height;  // the canvas may be drawn smaller than its size
      if (fx < box.x0 || fx > box.x1 || fy < box.y0 || fy > box.y1 || box.xlog || box.ylog) return;
      const x = box.xlim[0] + (fx - box.x0) / (box.x1 - box.x0) * (box.xlim[1] - box.xlim[0]);
      const y = box.ylim[0] + (fy - box.y0) / (box.y1 - box.y0) * (box.ylim[1] - box.ylim[0]);
      model.send({ event: "click", axes: index, x, y });
    });
  });
  // one handler for each message, after all of its values are set: the kernel sends a new picture and its axes
  // together, in no fixed order, so a frame of new axes over the old picture would otherwise be drawn first
  let seen = {};
  function changed() {
    const bytes = model.get("background"), patches = model.get("patches");
    if (bytes === seen.bytes && patches === seen.patches) { draw(); return; }
    seen = { bytes, patches };
    loadBackground();
  }
  model.on("change", changed);
  changed();
  return () => model.off("change", changed);
}

export default { render };
