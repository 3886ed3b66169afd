// Backhand status map: fetches this node's JSON every second and redraws in place (no reload, no library,
// nothing from another origin). Rows are keyed by server name, so sorting, the find box and open details
// survive every refresh. Text only ever enters the page as text nodes, never as HTML.
'use strict';
(function () {
  const REFRESH_MS = 1000;
  const PALETTE = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948', '#b07aa1', '#ff9da7',
    '#9c755f', '#86bcb6', '#d37295', '#8cd17d'];
  const SVG = 'http://www.w3.org/2000/svg';
  const jsonUrl = location.pathname + '?format=json';

  // The chosen sort survives a reload; storage may be refused (private windows), which only loses that.
  const store = {
    get(k) { try { return localStorage.getItem(k); } catch (e) { return null; } },
    set(k, v) { try { localStorage.setItem(k, v); } catch (e) { /* not remembered */ } },
  };
  let sortKey = store.get('backhand.sort') || 'name';
  let sortAsc = store.get('backhand.sortAsc') !== 'false';
  let last = null;
  let lastOk = null;
  let updates = 0;

  const $ = (id) => document.getElementById(id);
  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }

  // ---- formatting -----------------------------------------------------------------------------------
  const int = (n) => n.toLocaleString('en-US');
  function count(n) {
    if (n < 100000) return int(n);
    if (n < 1e6) return (n / 1e3).toFixed(1) + 'k';
    if (n < 1e9) return (n / 1e6).toFixed(2) + 'M';
    return (n / 1e9).toFixed(2) + 'G';
  }
  function micros(us) {
    if (!us) return '–';
    if (us < 1000) return (us / 1000).toFixed(2) + ' ms';
    if (us < 10000) return (us / 1000).toFixed(1) + ' ms';
    if (us < 10000000) return Math.round(us / 1000) + ' ms';
    return (us / 1e6).toFixed(1) + ' s';
  }
  function seconds(s) {
    if (s < 10) return s.toFixed(1) + ' s';
    if (s < 120) return Math.round(s) + ' s';
    if (s < 7200) return Math.round(s / 60) + ' min';
    return Math.round(s / 3600) + ' h';
  }
  function span(s) {
    s = Math.max(0, Math.floor(s));
    if (s < 60) return s + ' s';
    if (s < 3600) return Math.floor(s / 60) + ' min';
    if (s < 86400) return Math.floor(s / 3600) + ' h ' + Math.floor((s % 3600) / 60) + ' min';
    return Math.floor(s / 86400) + ' d ' + Math.floor((s % 86400) / 3600) + ' h';
  }
  const gib = (b) => (b / 1073741824).toFixed(b < 10737418240 ? 1 : 0);
  const load = (x) => x.toFixed(x < 10 ? 2 : 1);
  const pct = (x) => (x * 100).toFixed(x > 0 && x < 0.1 ? 1 : 0) + '%';
  const uptime = (s, d) => (Date.parse(d.time) - Date.parse(s.startedAt)) / 1000;

  // ---- the servers table ----------------------------------------------------------------------------
  // Each column: key, head, group, cell(s, d) -> [parts] where a part is text or {t, c} (text and class),
  // sort(s, d) -> value, and optional cls (td class), tip (title), meter (0..1 bar).
  function raw2interp(raw, interp, fmt) {
    return raw === interp ? [fmt(raw)] : [fmt(raw), { t: '→', c: 'arrow' }, { t: fmt(interp), c: 'interp' }];
  }
  function n0(v) { return v === 0 ? 'zero' : ''; }
  const COLUMNS = [
    { key: 'name', head: 'server', group: 'id', cls: 'l name',
      cell: (s) => s.self ? [s.name, { t: 'self', c: 'badge self' }] : [s.name],
      tip: (s, d) => s.hostname + ' · worker ' + (s.workerName || '–') + ' · Backhand ' + s.version + ' · up ' + span(uptime(s, d)),
      sort: (s) => s.name },
    { key: 'address', head: 'address', group: 'id', cls: 'l mono',
      cell: (s) => [s.address + ':' + s.port + (s.secure ? ' tls' : '')], sort: (s) => s.address + ':' + String(s.port).padStart(5, '0') },
    { key: 'state', head: 'state', group: 'id', cls: 'l',
      cell: (s) => [{ t: s.stale ? 'stale' : s.down ? 'down' : s.state, c: 'pill ' + (s.stale ? 'stale' : s.down ? 'down' : s.state) }],
      tip: (s) => 'announces ' + s.state + (s.down ? '; passive health: refused a connection, out until it announces again' : '')
        + (s.stale ? '; missed 3 announcements' : ''),
      sort: (s) => (s.stale ? 'z' : s.down ? 'y' : '') + s.state },
    { key: 'age', head: 'age', group: 'id', cls: 'age',
      cell: (s) => [s.self ? '–' : seconds(s.ageSeconds)],
      tip: (s) => 'announcement #' + s.sequence + ' sent ' + s.sentAt, sort: (s) => s.ageSeconds },

    { key: 'busy', head: 'busy', group: 'ann', sep: true,
      cell: (s) => raw2interp(s.busy, s.busyInterpreted, int),
      tip: () => 'requests in flight on the whole server, announced → interpreted', sort: (s) => s.busyInterpreted },
    { key: 'workers', head: 'idle / workers', group: 'ann',
      cell: (s) => [int(s.workersIdle) + ' / ' + int(s.workersTotal)],
      tip: () => 'idle worker threads / worker threads the server may run', sort: (s) => s.workersTotal ? s.workersIdle / s.workersTotal : 0 },
    { key: 'load', head: 'load', group: 'ann',
      cell: (s) => raw2interp(s.load, s.loadInterpreted, load),
      tip: (s) => 'one-minute load average, announced → interpreted; high-water mark ' + s.loadHighWater, sort: (s) => s.loadInterpreted },
    { key: 'cpu', head: 'cpu idle', group: 'ann',
      cell: (s) => [pct(s.cpuIdle)], meter: (s) => s.cpuIdle, meterCls: (s) => 'cpu' + (s.cpuIdle < 0.2 ? ' low' : ''),
      sort: (s) => s.cpuIdle },
    { key: 'cpus', head: 'cpus', group: 'ann', cell: (s) => [String(s.cpuCount)], sort: (s) => s.cpuCount },
    { key: 'memory', head: 'memory free', group: 'ann',
      cell: (s) => [gib(s.memoryFreeBytes) + ' / ' + gib(s.memoryTotalBytes) + ' G'],
      tip: (s) => 'free / total: ' + int(s.memoryFreeBytes) + ' of ' + int(s.memoryTotalBytes) + ' bytes free', sort: (s) => s.memoryFreeBytes },
    { key: 'arriba', head: 'arriba', group: 'ann', cell: (s) => [int(s.arriba)], tip: () => 'relative speed: larger is faster', sort: (s) => s.arriba },
    { key: 'backhanded', head: 'back\u00adhanded', group: 'ann',
      cell: (s) => [count(s.requestsBackhanded)], tip: () => 'requests this server has proxied to others since it started', sort: (s) => s.requestsBackhanded },
    { key: 'serve', head: 'avg serve', group: 'ann',
      cell: (s) => [micros(s.averageServeMicros)], tip: () => 'average time to serve the requests it backhanded', sort: (s) => s.averageServeMicros },
    { key: 'host', head: 'hostname', group: 'ann', cls: 'l mono id-col', cell: (s) => [s.hostname], sort: (s) => s.hostname },
    { key: 'worker', head: 'worker', group: 'ann', cls: 'l mono id-col', cell: (s) => [s.workerName || '–'],
      tip: () => 'session worker name (the suffix of its session ids)', sort: (s) => s.workerName },
    { key: 'version', head: 'version', group: 'ann', cls: 'l id-col', cell: (s) => [s.version], sort: (s) => s.version },
    { key: 'up', head: 'up', group: 'ann', cls: 'id-col', cell: (s, d) => [span(uptime(s, d))],
      tip: (s) => 'started ' + s.startedAt, sort: (s, d) => uptime(s, d) },

    { key: 'proxied', head: 'proxied', group: 'this', sep: true, cell: (s) => [count(s.fromThisNode.proxied)],
      cls: (s) => n0(s.fromThisNode.proxied), sort: (s) => s.fromThisNode.proxied },
    { key: 'local', head: 'local', group: 'this', cell: (s) => [count(s.fromThisNode.servedLocally)],
      cls: (s) => n0(s.fromThisNode.servedLocally), tip: () => 'served by this node\'s own application', sort: (s) => s.fromThisNode.servedLocally },
    { key: 'redirected', head: 'redi\u00adrected', group: 'this', cell: (s) => [count(s.fromThisNode.redirected)],
      cls: (s) => n0(s.fromThisNode.redirected), sort: (s) => s.fromThisNode.redirected },
    { key: 'retried', head: 'retried', group: 'this', cell: (s) => [count(s.fromThisNode.retried)],
      cls: (s) => s.fromThisNode.retried ? 'bad' : 'zero', tip: () => 'attempts that failed here and went on to the next server',
      sort: (s) => s.fromThisNode.retried },
    { key: 'failed', head: 'failed', group: 'this', cell: (s) => [count(s.fromThisNode.failed)],
      cls: (s) => s.fromThisNode.failed ? 'bad' : 'zero', sort: (s) => s.fromThisNode.failed },
    { key: 'inFlight', head: 'in flight', group: 'this', cell: (s) => [int(s.fromThisNode.inFlight)],
      cls: (s) => n0(s.fromThisNode.inFlight), sort: (s) => s.fromThisNode.inFlight },
    { key: 'avg', head: 'avg', group: 'this', cell: (s) => [micros(s.fromThisNode.averageMicros)],
      tip: () => 'average response time seen by this node', sort: (s) => s.fromThisNode.averageMicros },
    { key: 'p99', head: 'p99', group: 'this', cell: (s) => [micros(s.fromThisNode.p99Micros)],
      tip: () => '99th percentile over the last one to two minutes', sort: (s) => s.fromThisNode.p99Micros },
    { key: 'share', head: 'share, 1 min', group: 'this', cell: (s) => [pct(s.fromThisNode.shareLastMinute)],
      meter: (s) => s.fromThisNode.shareLastMinute, meterColor: true,
      tip: (s) => int(s.fromThisNode.lastMinute) + ' requests in the last minute', sort: (s) => s.fromThisNode.shareLastMinute },
  ];
  const GROUPS = [['id', 'server', ''], ['ann', 'announced by each server', 'g-ann'], ['this', 'from this node', 'g-this']];

  function buildHead() {
    const thead = $('servers').tHead;
    const groups = el('tr', 'groups');
    for (const [g, label, cls] of GROUPS) {
      const cols = COLUMNS.filter((c) => c.group === g);
      const th = el('th', cls + (g !== 'id' ? ' sep' : ''), label);
      th.colSpan = cols.length;
      th.dataset.group = g;
      groups.appendChild(th);
    }
    const heads = el('tr', 'cols');
    for (const c of COLUMNS) {
      const th = el('th', (typeof c.cls === 'string' ? c.cls.split(' ').filter((x) => x === 'l' || x === 'id-col').join(' ') : '')
        + (c.sep ? ' sep' : ''), c.head);
      th.dataset.key = c.key;
      th.title = 'sort by ' + c.head.replace(/\u00ad/g, '');
      th.addEventListener('click', () => {
        if (sortKey === c.key) sortAsc = !sortAsc; else { sortKey = c.key; sortAsc = c.key === 'name' || c.key === 'address'; }
        store.set('backhand.sort', sortKey);
        store.set('backhand.sortAsc', String(sortAsc));
        if (last) render(last);
      });
      heads.appendChild(th);
    }
    thead.replaceChildren(groups, heads);
  }

  // The id-col columns may be hidden by the style sheet; the group header must span what is shown.
  function fitGroupSpans() {
    const thead = $('servers').tHead;
    for (const th of thead.querySelectorAll('tr.groups th')) {
      const g = th.dataset.group;
      let n = 0;
      COLUMNS.forEach((c, i) => {
        if (c.group === g && thead.rows[1].cells[i].offsetParent !== null) n++;
      });
      th.colSpan = Math.max(1, n);
    }
  }

  function fill(td, parts) {
    const key = JSON.stringify(parts);
    if (td._key === key) return;
    td._key = key;
    td.replaceChildren(...parts.map((p) => typeof p === 'string' ? document.createTextNode(p) : el('span', p.c, p.t)));
  }

  function rowFor(tbody, rows, name) {
    let tr = rows.get(name);
    if (!tr) {
      tr = el('tr', 'server');
      tr.dataset.name = name;
      for (const c of COLUMNS) {
        const td = el('td');
        if (c.meter) {
          td._text = el('span');
          td._meter = el('span', 'meter');
          td._meter.appendChild(el('i'));
          td.append(td._text, td._meter);
        }
        tr.appendChild(td);
      }
      rows.set(name, tr);
    }
    return tr;
  }

  const rowsByName = new Map();
  function renderServers(d, colors) {
    const tbody = $('servers').tBodies[0];
    const find = $('find').value.trim().toLowerCase();
    const col = COLUMNS.find((c) => c.key === sortKey) || COLUMNS[0];
    const servers = d.servers.slice().sort((a, b) => {
      const x = col.sort(a, d), y = col.sort(b, d);
      const r = x < y ? -1 : x > y ? 1 : a.name < b.name ? -1 : 1;
      return sortAsc ? r : -r;
    });
    const seen = new Set();
    const ordered = [];
    for (const s of servers) {
      seen.add(s.name);
      const tr = rowFor(tbody, rowsByName, s.name);
      tr.className = 'server' + (s.self ? ' self' : '') + (s.stale ? ' stale' : '') + (s.down ? ' down' : '');
      tr.hidden = find !== '' && !(s.name + ' ' + s.hostname + ' ' + s.address).toLowerCase().includes(find);
      COLUMNS.forEach((c, i) => {
        const td = tr.cells[i];
        const cls = (typeof c.cls === 'function' ? c.cls(s) : (c.cls || '')) + (c.sep ? ' sep' : '') + ' ' + c.key;
        if (td.className !== cls) td.className = cls;
        const tip = c.tip ? c.tip(s, d) : '';
        if (td.title !== tip) td.title = tip;
        if (c.meter) {
          fill(td._text, c.cell(s, d));
          const f = Math.max(0, Math.min(1, c.meter(s, d) || 0));
          td._meter.className = 'meter' + (c.meterCls ? ' ' + c.meterCls(s) : '');
          td._meter.firstChild.style.width = (f * 100).toFixed(1) + '%';
          if (c.meterColor) td._meter.firstChild.style.background = colors.get(s.name);
        } else {
          fill(td, c.cell(s, d));
        }
      });
      ordered.push(tr);
    }
    for (const [name, tr] of rowsByName) {
      if (!seen.has(name)) { tr.remove(); rowsByName.delete(name); }
    }
    ordered.forEach((tr, i) => { if (tbody.children[i] !== tr) tbody.insertBefore(tr, tbody.children[i] || null); });
    for (const th of $('servers').tHead.rows[1].cells) {
      th.classList.toggle('sorted', th.dataset.key === sortKey);
      th.classList.toggle('asc', th.dataset.key === sortKey && sortAsc);
    }
    fitGroupSpans();
  }

  // ---- the traffic chart ----------------------------------------------------------------------------
  function svg(tag, attrs, text) {
    const e = document.createElementNS(SVG, tag);
    for (const k in attrs) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function renderChart(d, colors) {
    const box = $('chart');
    const width = Math.max(280, Math.floor(box.clientWidth || 480));
    const height = 150, left = 34, right = 6, top = 8, bottom = 18;
    const servers = d.servers.slice().sort((a, b) => a.name < b.name ? -1 : 1);
    // The last slot is the second still in progress; leaving it out keeps the right edge from dipping.
    const seconds = d.trafficWindowSeconds - 1;
    const totals = new Array(seconds).fill(0);
    for (const s of servers) for (let i = 0; i < seconds; i++) totals[i] += s.fromThisNode.perSecond[i] || 0;
    const max = Math.max(1, ...totals);
    const x = (i) => left + (width - left - right) * i / (seconds - 1);
    const y = (v) => top + (height - top - bottom) * (1 - v / max);
    const root = svg('svg', { width, height, viewBox: `0 0 ${width} ${height}`, role: 'img',
      'aria-label': 'requests per second by server over the last minute' });
    for (const f of [0, 0.5, 1]) {
      root.appendChild(svg('line', { class: 'axis', x1: left, x2: width - right, y1: y(max * f), y2: y(max * f) }));
      root.appendChild(svg('text', { x: left - 4, y: y(max * f) + 3.5, 'text-anchor': 'end' }, formatRate(max * f)));
    }
    root.appendChild(svg('text', { x: left, y: height - 4 }, '−60 s'));
    root.appendChild(svg('text', { x: (left + width - right) / 2, y: height - 4, 'text-anchor': 'middle' }, '−30 s'));
    root.appendChild(svg('text', { x: width - right, y: height - 4, 'text-anchor': 'end' }, 'now'));
    const base = new Array(seconds).fill(0);
    let any = false;
    for (const s of servers) {
      const per = s.fromThisNode.perSecond;
      if (!per.slice(0, seconds).some((v) => v > 0)) continue;
      any = true;
      const upper = base.map((b, i) => b + (per[i] || 0));
      let p = '';
      for (let i = 0; i < seconds; i++) p += (i ? 'L' : 'M') + x(i).toFixed(1) + ' ' + y(upper[i]).toFixed(1);
      for (let i = seconds - 1; i >= 0; i--) p += 'L' + x(i).toFixed(1) + ' ' + y(base[i]).toFixed(1);
      const path = svg('path', { d: p + 'Z', fill: colors.get(s.name), 'fill-opacity': '0.85', stroke: colors.get(s.name), 'stroke-width': '0.5' });
      path.appendChild(svg('title', {}, s.name));
      root.appendChild(path);
      for (let i = 0; i < seconds; i++) base[i] = upper[i];
    }
    if (!any) root.appendChild(svg('text', { class: 'empty', x: (left + width) / 2, y: height / 2, 'text-anchor': 'middle' }, 'no requests in the last minute'));
    box.replaceChildren(root);

    const list = $('shares');
    const ranked = servers.filter((s) => s.fromThisNode.lastMinute > 0)
      .sort((a, b) => b.fromThisNode.lastMinute - a.fromThisNode.lastMinute);
    const shown = ranked.slice(0, 16);
    const items = shown.map((s) => {
      const li = el('li');
      const sw = el('span', 'swatch');
      sw.style.background = colors.get(s.name);
      li.append(sw, el('span', 'who', s.name), el('span', 'pct', pct(s.fromThisNode.shareLastMinute)),
        el('span', 'n', count(s.fromThisNode.lastMinute)));
      return li;
    });
    if (ranked.length > shown.length) items.push(el('li', 'muted', '+ ' + (ranked.length - shown.length) + ' more'));
    list.replaceChildren(...items);
  }
  function formatRate(v) { return (v >= 100 ? Math.round(v) : v >= 10 ? v.toFixed(0) : v.toFixed(1).replace(/\.0$/, '')) + '/s'; }

  // ---- filters and the stats plane ------------------------------------------------------------------
  const openDetails = new Set();
  let filtersShown = null;
  function renderFilters(d) {
    const box = $('filters');
    // Redrawn only when something changed, so that text in it can be selected while traffic is idle.
    const key = JSON.stringify(d.filters);
    if (key === filtersShown) return;
    filtersShown = key;
    if (!d.filters.length) {
      box.replaceChildren(el('p', 'muted', 'No Backhand filter in this context: this node announces itself and shows its map.'));
      return;
    }
    // The decision lists change every second under traffic: keep where the reader has scrolled to.
    const scrolled = new Map([...box.querySelectorAll('.decision-list')].map((l) => [l.dataset.filter, l.scrollTop]));
    box.replaceChildren(...d.filters.map((f) => {
      const div = el('div', 'filter');
      const head = el('div', 'head');
      head.append(el('span', 'fname', f.name), ...f.urlPatterns.map((p) => el('span', 'chip', p)),
        el('span', 'muted', 'figures ' + f.figures + ' · retries ' + f.retries));
      const chain = el('ol', 'chain');
      chain.append(...f.chain.map((step) => el('li', null, step)));
      const outcomes = el('div', 'outcomes');
      for (const [k, v] of Object.entries(f.requests)) {
        const o = el('span', (k === 'failed' || k === 'unavailable') && v > 0 ? 'bad' : '');
        o.append(k + ' ', el('b', null, count(v)));
        outcomes.appendChild(o);
      }
      div.append(head, chain, outcomes);
      const names = Object.keys(f.byServer);
      if (names.length) {
        const det = el('details');
        det.open = openDetails.has(f.name);
        det.addEventListener('toggle', () => det.open ? openDetails.add(f.name) : openDetails.delete(f.name));
        det.appendChild(el('summary', null, 'by server (' + names.length + ')'));
        const t = el('table');
        const kinds = Object.keys(f.byServer[names[0]]);
        const hr = el('tr');
        hr.append(el('th', 'l', 'server'), ...kinds.map((k) => el('th', null, k)));
        t.appendChild(hr);
        for (const n of names) {
          const tr = el('tr');
          tr.append(el('td', 'l mono', n), ...kinds.map((k) => el('td', f.byServer[n][k] ? '' : 'zero', count(f.byServer[n][k]))));
          t.appendChild(tr);
        }
        det.appendChild(t);
        div.appendChild(det);
      }
      if (f.decisions && f.decisions.length) div.appendChild(renderDecisions(f));
      return div;
    }));
    box.querySelectorAll('.decision-list').forEach((l) => { l.scrollTop = scrolled.get(l.dataset.filter) || 0; });
  }

  // The last explained decisions of a filter: each one's trace, step by step, the winner in bold.
  function figure(v) {
    if (v === null || v === undefined) return '';
    return '=' + (Number.isInteger(v) ? String(v) : String(Math.round(v * 1000) / 1000));
  }
  function renderDecisions(f) {
    const key = f.name + '\u0000decisions';
    const det = el('details', 'decisions');
    det.open = openDetails.has(key);
    det.addEventListener('toggle', () => det.open ? openDetails.add(key) : openDetails.delete(key));
    det.appendChild(el('summary', null, 'decisions (' + f.decisions.length + ')'));
    const list = el('ol', 'decision-list');
    list.dataset.filter = f.name;
    for (const d of f.decisions) {
      const li = el('li', 'decision' + (d.asked ? ' asked' : ''));
      li.dataset.path = d.path;
      li.dataset.winner = d.winner || '';
      li.dataset.outcome = d.outcome;
      const head = el('div', 'dhead');
      head.append(el('span', 'muted', d.time.substring(11, 19)), ' ', el('span', 'mono', d.method + ' ' + d.path), ' ',
        el('span', 'chip', d.asked ? 'asked' : 'sampled'), ' → ', el('b', null, d.outcome + (d.winner ? ' ' + d.winner : '')));
      const steps = el('ol', 'trace');
      for (const st of d.steps) {
        const s = el('li');
        s.append(el('span', 'fn', st.function));
        if (!st.candidates.length) s.append(el('span', 'muted', ' (none)'));
        for (const c of st.candidates) {
          s.append(' ', el(c.server === d.winner ? 'b' : 'span', 'cand', c.server + figure(c.figure)));
        }
        steps.appendChild(s);
      }
      li.append(head, steps);
      list.appendChild(li);
    }
    det.appendChild(list);
    return det;
  }

  function renderPlane(d) {
    const p = d.statsPlane;
    const dl = $('plane');
    const rows = [];
    const add = (k, v, cls) => rows.push(el('dt', null, k), el('dd', cls, v));
    add('accepted', int(p.accepted));
    const drops = Object.entries(p.dropped).filter(([, v]) => v > 0);
    add('dropped', drops.length ? drops.map(([k, v]) => k.replace(/_/g, ' ') + ' ' + int(v)).join(' · ') : 'none', drops.length ? 'bad' : '');
    add('accept from', p.acceptStats.length ? p.acceptStats.join(', ') : 'nothing (AcceptStats is empty)', 'mono');
    add('announce to', [...p.destinations, ...p.peers].join(', ') || 'nowhere', 'mono');
    // The peers as resolved and learned now, when that says more than the configured list.
    const now = p.peersNow || [];
    if (now.length && now.join(', ') !== p.peers.join(', '))
      add('peers now', now.join(', '), 'mono');
    add('signed', p.signed ? 'yes (HMAC-SHA256)' : 'no');
    add('interval', seconds(d.announceIntervalSeconds) + '; stale after ' + seconds(d.staleAfterSeconds));
    add('workers', d.workers);
    dl.replaceChildren(...rows);
  }

  // WebSocket and other upgrades this node passed to the node that serves them.
  function renderTunnels(d) {
    const t = d.tunnels;
    const rows = [];
    const add = (k, v, cls) => rows.push(el('dt', null, k), el('dd', cls, v));
    add('open', int(t.open));
    add('opened', int(t.opened));
    add('closed by error', int(t.closedByError), t.closedByError ? 'bad' : '');
    add('closed idle', int(t.closedIdle));
    add('refused by the node', int(t.refused));
    $('tunnels').replaceChildren(...rows);
  }

  function renderSummary(d) {
    const stale = d.servers.filter((s) => s.stale).length;
    const down = d.servers.filter((s) => s.down).length;
    const parts = [];
    const b = (t, cls) => el('b', cls, t);
    parts.push(b(String(d.servers.length)), ' servers');
    if (stale) parts.push(' · ', b(stale + ' stale', 'bad'));
    if (down) parts.push(' · ', b(down + ' down', 'bad'));
    parts.push(' · this node ', b(d.state), ' · load high-water ', b(String(d.loadHighWater)));
    $('summary').replaceChildren(...parts);
    renderAdmin(d);
    $('count').textContent = d.servers.length + (stale ? ', ' + stale + ' stale' : '');
    const alone = $('alone');
    alone.hidden = !d.alone;
    alone.textContent = d.alone || '';
  }

  // The one action on this page, shown only when backhand.admin is on: drain this node, or make it ready.
  // The node checks the caller (adminAccess or the shared secret) and the anti-forgery header itself.
  function renderAdmin(d) {
    const box = $('admin');
    box.hidden = !d.admin;
    if (!d.admin) return;
    const action = d.state === 'draining' ? 'ready' : 'drain';
    const button = box.querySelector('button');
    button.textContent = action === 'drain' ? 'Drain this node' : 'Make it ready';
    button.dataset.action = action;
    button.disabled = d.state === 'leaving';
  }

  async function adminAction(action) {
    const what = action === 'drain'
      ? 'Drain ' + (last ? last.node : 'this node') + '? Balancers stop sending it new requests.'
      : 'Make ' + (last ? last.node : 'this node') + ' ready for new requests again?';
    if (!window.confirm(what)) return;
    const note = $('admin').querySelector('.note');
    try {
      const r = await fetch('admin/' + action, { method: 'POST', cache: 'no-store', headers: { 'X-Backhand-Admin': '1' } });
      note.textContent = r.ok ? 'done' : 'refused: HTTP ' + r.status;
    } catch (e) {
      note.textContent = 'failed: ' + e.message;
    }
  }

  function colorsFor(d) {
    const names = d.servers.map((s) => s.name).sort();
    const m = new Map();
    names.forEach((n, i) => m.set(n, PALETTE[i % PALETTE.length]));
    return m;
  }

  function render(d) {
    last = d;
    const colors = colorsFor(d);
    renderSummary(d);
    renderServers(d, colors);
    renderChart(d, colors);
    renderFilters(d);
    renderPlane(d);
    renderTunnels(d);
  }

  function setLive(ok, text) {
    const live = $('live');
    live.className = 'live';
    void live.offsetWidth; // a fresh class restarts the heartbeat animation
    live.className = 'live ' + (ok ? 'ok' : 'lost');
    live.lastChild.textContent = text;
    document.body.classList.toggle('offline', !ok);
  }

  async function tick() {
    try {
      const r = await fetch(jsonUrl, { cache: 'no-store', headers: { Accept: 'application/json' } });
      if (!r.ok) throw new Error('HTTP ' + r.status);
      const d = await r.json();
      render(d);
      lastOk = new Date();
      updates++;
      document.body.dataset.updates = String(updates);
      setLive(true, 'live · ' + lastOk.toLocaleTimeString());
    } catch (e) {
      setLive(false, 'no answer' + (lastOk ? ' since ' + lastOk.toLocaleTimeString() : '') + ' (' + e.message + ')');
    } finally {
      setTimeout(tick, REFRESH_MS);
    }
  }

  buildHead();
  $('admin').querySelector('button').addEventListener('click', (e) => adminAction(e.target.dataset.action));
  $('find').addEventListener('input', () => { if (last) renderServers(last, colorsFor(last)); });
  window.addEventListener('resize', () => { if (last) { fitGroupSpans(); renderChart(last, colorsFor(last)); } });
  tick();
})();
