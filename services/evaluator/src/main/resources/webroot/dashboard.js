'use strict';
// The evaluator dashboard: a snapshot and then one event per new result from /events (server-sent events),
// rendered as a leaderboard, Chart.js curves over training, per-class accuracy, and image grids.
(() => {
  const PALETTE = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#ca8a04', '#db2777',
    '#65a30d', '#7c3aed'];
  const TEACHER_COLOR = '#111827';
  const KIND_LABELS = {
    'teacher': 'teacher', 'student-checkpoint': 'student checkpoint', 'model-file': 'model file',
    'distilled-set': 'distilled set'
  };
  const subjects = new Map();
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
  source.onopen = () => setLive(true);
  source.onerror = () => setLive(false);

  window.dmDashboard = {subjects, charts: {accuracyChart, lossChart, perClassChart}};
})();
