"use strict";
const $ = (id) => document.getElementById(id);
const state = { models: [], file: null };

function headers() {
  const key = $("apikey").value || localStorage.getItem("mobilenet-api-key") || "";
  return key ? { Authorization: "Bearer " + key } : {};
}

function setStatus(text, isError) {
  $("status").textContent = text;
  $("status").classList.toggle("error", !!isError);
}

async function loadModels() {
  const res = await fetch("models", { headers: headers() });
  const body = await res.json();
  if (!res.ok) {
    setStatus(body.error || res.statusText, true);
    return;
  }
  state.models = body.models;
  const sel = $("model");
  sel.innerHTML = "";
  for (const m of body.models) {
    const o = document.createElement("option");
    o.value = m.name;
    o.textContent = m.name + " (" + m.num_classes + " classes)";
    sel.appendChild(o);
  }
  describe();
}

function describe() {
  const m = state.models.find((x) => x.name === $("model").value);
  if (!m) return;
  const p = m.preprocess;
  $("pre").textContent = p.input_size[1] + "×" + p.input_size[2] + ", crop " + p.crop_pct + " (" + p.crop_mode
    + "), " + p.interpolation;
  $("crop-size").textContent = p.input_size[1] + "×" + p.input_size[2];
}

async function classify() {
  if (!state.file) return;
  const model = $("model").value;
  setStatus("Classifying with " + model + "…");
  $("top").innerHTML = "";
  const t0 = performance.now();
  let res;
  try {
    res = await fetch("predictions/" + encodeURIComponent(model) + "?top=5&crop=true", {
      method: "POST", body: state.file, headers: headers(),
    });
  } catch (e) {
    setStatus("Request failed: " + e.message, true);
    return;
  }
  const ms = performance.now() - t0;
  const body = await res.json();
  if (!res.ok) {
    setStatus(body.error || res.statusText, true);
    return;
  }
  show(body, ms, res.headers.get("Server-Timing"));
}

function show(body, ms, timing) {
  const list = $("top");
  for (const t of body.top) {
    const li = document.createElement("li");
    const bar = document.createElement("span");
    bar.className = "bar";
    bar.style.width = (100 * t.probability).toFixed(1) + "%";
    const label = document.createElement("span");
    label.className = "label";
    label.textContent = t.label;
    const prob = document.createElement("span");
    prob.className = "prob";
    prob.textContent = (100 * t.probability).toFixed(2) + "%";
    li.append(bar, label, prob);
    list.appendChild(li);
  }
  $("crop").src = body.crop;
  $("seen").hidden = false;
  $("latency").textContent = ms.toFixed(1) + " ms (round trip)";
  const m = /dur=([0-9.]+)/.exec(timing || "");
  $("server-time").textContent = m ? Number(m[1]).toFixed(1) + " ms" : "–";
  setStatus("Top 5 of " + state.file.name);
}

function choose(file) {
  if (!file) return;
  state.file = file;
  const img = $("preview");
  img.src = URL.createObjectURL(file);
  img.hidden = false;
  $("drop-text").hidden = true;
  classify();
}

$("file").addEventListener("change", (e) => choose(e.target.files[0]));
$("model").addEventListener("change", () => { describe(); classify(); });
$("apikey").addEventListener("change", () => {
  localStorage.setItem("mobilenet-api-key", $("apikey").value);
  loadModels();
});
const drop = $("drop");
drop.addEventListener("dragover", (e) => { e.preventDefault(); drop.classList.add("over"); });
drop.addEventListener("dragleave", () => drop.classList.remove("over"));
drop.addEventListener("drop", (e) => {
  e.preventDefault();
  drop.classList.remove("over");
  choose(e.dataTransfer.files[0]);
});
loadModels().catch((e) => setStatus("Cannot list the models: " + e.message, true));
