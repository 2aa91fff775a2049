'use strict';
// The evaluator dashboard: a snapshot and then one event per new result from /events (server-sent events),
// rendered as a leaderboard, Chart.js curves over training, per-class accuracy, and image grids; distillation
// jobs (from /distillations, then 'distillation' events) as meta-loss and step-size charts beside their sets'
// comparison with the baselines.
(() => {
  const PALETTE = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#ca8a04', '#db2777',
    '#65a30d', '#7c3aed'];
  const TEACHER_COLOR = '#111827';
  const KIND_LABELS = {
    'teacher': 'teacher', 'student-checkpoint': 'student checkpoint', 'model-file': 'model file',
    'distilled-set': 'distilled set'
  };
  const subjects = new Map();
  const jobs = new Map();
  const colors = new Map();
  let classNames = [];

  const pct = x => (x * 100).toFixed(2) + ' %';
  const fixed4 = x => x.toFixed(4);
  const isTeacher = s => s.kind === 'teacher';

  function colorOf(subject) {
    if (isTeacher(subject)) {
      return TEACHER_COLOR;
    }
    if (!colors.has(subject.subjectId)) {
      colors.set(subject.subjectId, PALETTE[colors.size % PALETTE.length]);
    }
    return colors.get(subject.subjectId);
  }

  function ranked() {
    return [...subjects.values()].sort((a, b) => b.latest.accuracy - a.latest.accuracy
      || a.subjectId.localeCompare(b.subjectId));
  }

  // ---- charts -------------------------------------------------------------------------------------------
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.color = '#374151';
  Chart.defaults.animation = false;

  function curveOptions(yTitle, yTick) {
    return {
      responsive: true, maintainAspectRatio: false, parsing: false,
      interaction: {mode: 'nearest', intersect: false},
      scales: {
        x: {type: 'linear', title: {display: true, text: 'samples trained'}, ticks: {callback: v => v.toLocaleString('en')}},
        y: {title: {display: true, text: yTitle}, ticks: {callback: yTick}}
      },
      plugins: {legend: {position: 'bottom', labels: {usePointStyle: true, boxHeight: 6}}}
    };
  }

  const accuracyChart = new Chart(document.getElementById('accuracy-chart'), {
    type: 'line', data: {datasets: []}, options: curveOptions('test accuracy', v => (v * 100).toFixed(0) + ' %')
  });
  const lossChart = new Chart(document.getElementById('loss-chart'), {
    type: 'line', data: {datasets: []}, options: curveOptions('mean cross-entropy', v => v.toFixed(2))
  });
  const perClassChart = new Chart(document.getElementById('per-class-chart'), {
    type: 'bar', data: {labels: [], datasets: []},
    options: {
      responsive: true, maintainAspectRatio: false,
      scales: {y: {min: 0, max: 1, ticks: {callback: v => (v * 100).toFixed(0) + ' %'}}},
      plugins: {legend: {position: 'bottom', labels: {usePointStyle: true, boxHeight: 6}}}
    }
  });

  function curve(subject, field) {
    const color = colorOf(subject);
    return {
      label: subject.subjectId, borderColor: color, backgroundColor: color, tension: 0.25, pointRadius: 3,
      data: subject.series.map(p => ({x: p.samplesTrained, y: p[field]}))
    };
  }

  function teacherLine(teacher, field, students) {
    const xs = students.flatMap(s => s.series.map(p => p.samplesTrained));
    const y = teacher.latest[field];
    return {
      label: teacher.subjectId, borderColor: TEACHER_COLOR, backgroundColor: TEACHER_COLOR, borderDash: [6, 4],
      pointRadius: 0, borderWidth: 1.5, data: [{x: Math.min(0, ...xs), y}, {x: Math.max(1, ...xs), y}]
    };
  }

  function renderCharts(list) {
    const students = list.filter(s => !isTeacher(s) && s.series.length > 0);
    const teacher = list.find(isTeacher);
    for (const [chart, field] of [[accuracyChart, 'accuracy'], [lossChart, 'crossEntropy']]) {
      chart.data.datasets = students.map(s => curve(s, field));
      if (teacher && students.length > 0) {
        chart.data.datasets.push(teacherLine(teacher, field, students));
      }
      chart.update();
    }
    const k = list.length > 0 ? list[0].latest.perClassAccuracy.length : 0;
    perClassChart.data.labels = classNames.length === k ? classNames : [...Array(k).keys()].map(String);
    perClassChart.data.datasets = list.map(s => ({
      label: s.subjectId, data: s.latest.perClassAccuracy, backgroundColor: colorOf(s), borderRadius: 2
    }));
    perClassChart.update();
  }

  // ---- leaderboard --------------------------------------------------------------------------------------
  function cell(row, className, text) {
    const td = row.insertCell();
    td.className = className;
    td.textContent = text;
    return td;
  }

  function progressText(subject) {
    const p = subject.latest.progress;
    if (p) {
      return `pass ${p.pass}/${p.epochs} · ${p.samplesTrained.toLocaleString('en')} samples`;
    }
    if (subject.kind === 'distilled-set') {
      return `${subject.latest.replicas} replays · ${subject.latest.settings.objective}`;
    }
    return isTeacher(subject) ? 'trained teacher' : (subject.latest.modelPath || '');
  }

  function renderLeaderboard(list) {
    const body = document.querySelector('#leaderboard tbody');
    body.replaceChildren();
    list.forEach((subject, i) => {
      const r = subject.latest;
      const row = body.insertRow();
      row.dataset.subject = subject.subjectId;
      row.className = isTeacher(subject) ? 'teacher' : '';
      cell(row, 'num rank', String(i + 1));
      const name = cell(row, 'name', '');
      const swatch = document.createElement('span');
      swatch.className = 'swatch';
      swatch.style.backgroundColor = colorOf(subject);
      name.append(swatch, document.createTextNode(subject.subjectId));
      cell(row, 'kind', KIND_LABELS[subject.kind] || subject.kind);
      const acc = cell(row, 'num acc', '');
      const bar = document.createElement('span');
      bar.className = 'bar';
      bar.style.width = (r.accuracy * 100).toFixed(1) + '%';
      const value = document.createElement('span');
      value.className = 'value';
      value.textContent = pct(r.accuracy) + (r.replicas > 1 && r.accuracyStd != null ? ` ± ${pct(r.accuracyStd)}` : '');
      acc.append(bar, value);
      cell(row, 'num ce', fixed4(r.crossEntropy));
      cell(row, 'num agree', pct(r.teacherAgreement));
      cell(row, 'num kl', fixed4(r.klTeacherSubject));
      cell(row, 'progress', progressText(subject));
      cell(row, 'num when', new Date(r.evaluatedAtMillis).toLocaleTimeString('en-GB'));
    });
    document.getElementById('leaderboard-empty').hidden = list.length > 0;
    const teacher = list.find(isTeacher);
    if (teacher) {
      document.getElementById('subtitle').textContent =
        `${teacher.latest.dataset} · ${teacher.latest.samples.toLocaleString('en')} images · teacher ${teacher.latest.teacherId}`;
    }
  }

  function render() {
    const list = ranked();
    renderLeaderboard(list);
    renderCharts(list);
    renderDistilled();
  }

  // ---- distilled sets -----------------------------------------------------------------------------------
  const SET_LABELS = {
    'distilled-set': 'distilled set', 'random-real': 'random real images', 'class-means': 'class-mean images',
    'k-means': 'k-means centroids', 'cross-architecture': 'distilled set, other network', 'before': 'before the steps'
  };
  const IMAGE_KINDS = ['distilled-set', 'random-real', 'class-means', 'k-means'];
  const jobElements = new Map();

  function setKind(point) {
    return (point.settings.result && point.settings.result.kind) || point.pointId;
  }

  function element(tag, className, text) {
    const e = document.createElement(tag);
    if (className) {
      e.className = className;
    }
    if (text !== undefined) {
      e.textContent = text;
    }
    return e;
  }

  function jobElement(jobId) {
    if (jobElements.has(jobId)) {
      return jobElements.get(jobId);
    }
    const root = element('div', 'distilled-job');
    root.dataset.job = jobId;
    const title = element('h3', '', jobId);
    const state = element('span', 'state');
    const objective = element('span', 'hint');
    title.append(state, objective);
    const table = element('table', 'distilled-table');
    table.createTHead().insertRow().append(...['set', 'test accuracy (mean ± std)', 'step sizes', 'network', 'notes']
      .map((h, i) => element('th', i === 1 ? 'num' : '', h)));
    table.createTBody();
    const charts = element('div', 'distilled-charts');
    const lossBox = element('div', 'chart-box');
    const lossCanvas = element('canvas', 'meta-loss');
    lossCanvas.id = 'meta-loss-' + jobId;
    lossBox.append(lossCanvas);
    const stepBox = element('div', 'chart-box');
    const stepCanvas = element('canvas', 'step-sizes');
    stepCanvas.id = 'step-sizes-' + jobId;
    stepBox.append(stepCanvas);
    charts.append(lossBox, stepBox);
    const images = element('div', 'distilled-images');
    const provenance = element('p', 'provenance');
    provenance.hidden = true;
    root.append(title, provenance, table, charts, images);
    document.getElementById('distilled-jobs').append(root);
    const lossChart = new Chart(lossCanvas, {
      type: 'line', data: {datasets: [{label: 'meta-loss', data: [], borderColor: PALETTE[0], backgroundColor: PALETTE[0],
        pointRadius: 2, tension: 0.2}]},
      options: {responsive: true, maintainAspectRatio: false, parsing: false,
        scales: {x: {type: 'linear', title: {display: true, text: 'meta-iteration'}},
          y: {title: {display: true, text: 'meta-loss (real images)'}}},
        plugins: {legend: {display: false}, title: {display: true, text: 'meta-loss'}}}
    });
    const stepChart = new Chart(stepCanvas, {
      type: 'bar', data: {labels: [], datasets: [{label: 'learned step size', data: [], backgroundColor: PALETTE[2]}]},
      options: {responsive: true, maintainAspectRatio: false,
        scales: {x: {title: {display: true, text: 'inner step t'}}, y: {title: {display: true, text: 'η_t'}}},
        plugins: {legend: {display: false}, title: {display: true, text: 'learned step sizes'}}}
    });
    const parts = {root, state, objective, provenance, table, charts, images, lossChart, stepChart, imageKey: ''};
    jobElements.set(jobId, parts);
    return parts;
  }

  function accuracyText(point) {
    const std = point.replicas > 1 && point.accuracyStd != null ? ` ± ${pct(point.accuracyStd)}` : '';
    return `${pct(point.accuracy)}${std} (K=${point.replicas})`;
  }

  function stepText(point, job) {
    const made = point.settings.result || {};
    if (made.stepSize !== undefined) {
      return `fixed η = ${made.stepSize} (best of ${made.grid.length} on ${made.heldOutImages} held-out images)`;
    }
    if (made.recipe !== undefined) {
      return `trained by the set's recipe: ${made.recipe}`;
    }
    if (setKind(point) === 'before') {
      return '—';
    }
    const n = job && job.stepSizes ? job.stepSizes.length : '';
    return `learned (${n} steps)`;
  }

  function notesText(point) {
    const p = point.settings.result && point.settings.result.poisoning;
    if (!p) {
      return '';
    }
    const name = c => classNames[c] || String(c);
    return `class ${name(p.attackClass)} (→ ${name(p.targetClass)}): ${pct(p.attackAccuracyBefore)} → `
      + `${pct(p.attackAccuracyAfter)}; rest ${pct(p.restAccuracyBefore)} → ${pct(p.restAccuracyAfter)}`;
  }

  /** The evaluated set's result, which carries its provenance and SHA-256 (verified by the evaluator); or null. */
  function setResult(subject) {
    const set = subject && subject.points.find(p => p.pointId === 'set');
    const made = set && set.settings.result;
    return made && made.provenance ? made : null;
  }

  function provenanceText(made) {
    const p = made.provenance;
    return (p.poisoning ? 'POISONING set · ' : '') + `made by ${p.producer} ${p.producerVersion} on ${p.created}`
      + ` for objective ${p.objective}` + (p.parentSha256 ? ` from ${p.parentSha256.slice(0, 12)}…` : '')
      + ` · SHA-256 ${made.sha256.slice(0, 16)}…`;
  }

  function renderJob(jobId, job, subject) {
    const parts = jobElement(jobId);
    parts.state.textContent = job ? job.state : 'EVALUATED';
    parts.state.className = 'state ' + (job ? job.state : '');
    const objective = subject ? subject.latest.settings.objective : (job && job.distilled ? job.distilled.objective : '');
    parts.objective.textContent = [objective, job && job.iterations ? `iteration ${job.iteration}/${job.iterations}` : '']
      .filter(Boolean).join(' · ');
    const made = setResult(subject);
    parts.provenance.hidden = made === null;
    parts.provenance.textContent = made ? provenanceText(made) : '';
    parts.provenance.classList.toggle('poisoning', Boolean(made && made.provenance.poisoning));
    const body = parts.table.tBodies[0];
    body.replaceChildren();
    const points = subject ? subject.points : [];
    for (const point of points) {
      const kind = setKind(point);
      const row = body.insertRow();
      row.dataset.point = point.pointId;
      row.className = kind;
      cell(row, 'set', SET_LABELS[kind] || kind);
      cell(row, 'num acc', accuracyText(point));
      cell(row, 'step', stepText(point, job));
      cell(row, 'network', (point.settings.result && point.settings.result.network) || '');
      cell(row, 'poison', notesText(point));
    }
    parts.table.hidden = points.length === 0;
    parts.charts.hidden = !job;
    if (job) {
      parts.lossChart.data.datasets[0].data = job.metaLoss.map(p => ({x: p.iteration, y: p.metaLoss}));
      parts.lossChart.update();
      parts.stepChart.data.labels = job.stepSizes.map((_, t) => String(t));
      parts.stepChart.data.datasets[0].data = job.stepSizes;
      parts.stepChart.update();
    }
    const kinds = subject ? IMAGE_KINDS.filter(k => points.some(p => setKind(p) === k)) : [];
    const key = subject ? kinds.join(',') + '@' + subject.latest.evaluatedAtMillis : '';
    if (key !== parts.imageKey) {
      parts.imageKey = key;
      parts.images.replaceChildren(...kinds.map(kind => {
        const figure = element('figure');
        const img = element('img');
        img.dataset.kind = kind;
        img.alt = `${SET_LABELS[kind]} of ${jobId}`;
        img.src = `/images/distilled/${encodeURIComponent(jobId)}/${kind}.png?at=${subject.latest.evaluatedAtMillis}`;
        figure.append(img, element('figcaption', '', SET_LABELS[kind]));
        return figure;
      }));
    }
  }

  function renderDistilled() {
    const ids = new Set(jobs.keys());
    for (const s of subjects.values()) {
      if (s.kind === 'distilled-set') {
        ids.add(s.subjectId.substring('distilled:'.length));
      }
    }
    for (const jobId of [...ids].sort()) {
      renderJob(jobId, jobs.get(jobId), subjects.get('distilled:' + jobId));
    }
    document.getElementById('distilled-empty').hidden = ids.size > 0;
  }

  function mergeJob(update, points) {
    const job = jobs.get(update.jobId) || {metaLoss: []};
    const curve = new Map(job.metaLoss.map(p => [p.iteration, p]));
    for (const p of points) {
      curve.set(p.iteration, p);
    }
    const {point, metaLoss, ...summary} = update;
    Object.assign(job, summary);
    job.metaLoss = [...curve.values()].sort((a, b) => a.iteration - b.iteration);
    jobs.set(update.jobId, job);
  }

  // ---- image grids (real reference images now, distilled images later) ----------------------------------
  function drawImage(canvas, base64, rows, cols) {
    const grey = Uint8Array.from(atob(base64), c => c.charCodeAt(0));
    const ctx = canvas.getContext('2d');
    const image = ctx.createImageData(cols, rows);
    for (let i = 0; i < grey.length; i++) {
      image.data.set([grey[i], grey[i], grey[i], 255], i * 4);
    }
    ctx.putImageData(image, 0, 0);
  }

  function drawImageGrid(container, grid) {
    container.replaceChildren();
    grid.classes.forEach((name, label) => {
      const row = document.createElement('div');
      row.className = 'image-row';
      row.dataset.label = String(label);
      const caption = document.createElement('span');
      caption.className = 'image-label';
      caption.textContent = name;
      row.append(caption);
      for (const img of grid.images.filter(i => i.label === label)) {
        const canvas = document.createElement('canvas');
        canvas.width = grid.cols;
        canvas.height = grid.rows;
        canvas.title = `${name} · test image ${img.sampleId}`;
        drawImage(canvas, img.pixels, grid.rows, grid.cols);
        row.append(canvas);
      }
      container.append(row);
    });
  }

  fetch('/images/reference').then(r => r.json()).then(grid => {
    classNames = grid.classes;
    document.getElementById('reference-hint').textContent = `first ${grid.perClass} of each class in ${grid.source}`;
    drawImageGrid(document.getElementById('reference-grid'), grid);
    render();
  });

  // ---- live feed ----------------------------------------------------------------------------------------
  const badge = document.getElementById('connection');

  function setLive(live) {
    badge.textContent = live ? '● live' : 'reconnecting…';
    badge.className = 'badge ' + (live ? 'badge-live' : 'badge-wait');
  }

  const source = new EventSource('/events');
  source.addEventListener('snapshot', e => {
    subjects.clear();
    for (const s of JSON.parse(e.data)) {
      subjects.set(s.subjectId, s);
    }
    setLive(true);
    render();
  });
  source.addEventListener('result', e => {
    const s = JSON.parse(e.data);
    subjects.set(s.subjectId, s);
    render();
  });
  source.addEventListener('distillation', e => {
    const update = JSON.parse(e.data);
    mergeJob(update, update.point ? [update.point] : []);
    renderDistilled();
  });
  source.onopen = () => setLive(true);
  fetch('/distillations').then(r => r.json()).then(list => {
    for (const job of list) {
      mergeJob(job, job.metaLoss);
    }
    renderDistilled();
  });
  source.onerror = () => setLive(false);

  window.dmDashboard = {subjects, jobs, charts: {accuracyChart, lossChart, perClassChart}};
})();
