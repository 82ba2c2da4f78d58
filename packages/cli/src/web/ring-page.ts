/**
 * The live ring page served by `gossip-ring watch --http PORT`: one self-contained HTML document
 * (no framework, no external request). It subscribes to `/events` (server-sent events carrying
 * the whole watch state) and redraws: each group's ring as SVG arcs sized by each member's share,
 * suspects marked, the digest and whether the views agree, the warnings (pinned above), and a
 * timeline of recent changes.
 * Names and ids are set through DOM text APIs, never parsed as HTML.
 */
export const RING_PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>gossip-ring: live rings</title>
<style>
  body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5rem; color: #222; background: #fafafa; }
  header { display: flex; gap: 1rem; align-items: baseline; }
  h1 { font-size: 1.3rem; margin: 0; }
  #status { color: #777; }
  #status.live { color: #2a7a2a; }
  main { display: flex; gap: 2rem; flex-wrap: wrap; align-items: flex-start; }
  #groups { display: flex; gap: 1.5rem; flex-wrap: wrap; }
  .group { background: #fff; border: 1px solid #ddd; border-radius: 8px; padding: 1rem; width: 300px; }
  .group h2 { margin: 0 0 .3rem; font-size: 1.1rem; }
  .agreement.agreed { color: #2a7a2a; }
  .agreement.differ { color: #b05a00; font-weight: bold; }
  .digest, .member code { font-family: ui-monospace, monospace; font-size: 12px; }
  svg { display: block; margin: .5rem auto; }
  .arc { stroke: #fff; stroke-width: 2; }
  .arc.suspect { fill-opacity: .35; stroke: #d33; stroke-dasharray: 4 3; }
  .members { list-style: none; padding: 0; margin: 0; }
  .member { display: flex; gap: .5rem; align-items: center; }
  .swatch { width: 10px; height: 10px; border-radius: 2px; display: inline-block; }
  .member.suspect { color: #d33; }
  #side { min-width: 320px; }
  #timeline { list-style: none; padding-left: 0; margin: .3rem 0; max-height: 70vh; overflow: auto; }
  #timeline time { color: #777; font-family: ui-monospace, monospace; font-size: 12px; margin-right: .4rem; }
  #warnings { list-style: none; padding: 0; margin: .8rem 0; }
  #warnings li { background: #fff4e5; border-left: 4px solid #d97700; padding: .4rem .6rem; margin-bottom: .3rem; }
</style>
</head>
<body>
<header><h1>gossip-ring</h1><span id="status">connecting…</span><span id="watcher"></span></header>
<ul id="warnings"></ul>
<main>
  <div id="groups"><p id="empty">No group heard of yet.</p></div>
  <div id="side"><h2>Recent changes</h2><ul id="timeline"></ul></div>
</main>
<script>
'use strict'
const SVG = 'http://www.w3.org/2000/svg'
const R = 80, r = 50, C = 100

function short (id) { return id.length <= 8 ? id : '…' + id.slice(-6) }
function hue (id) { let h = 0; for (const ch of id) h = (h * 31 + ch.charCodeAt(0)) >>> 0; return h % 360 }
function el (tag, attrs, text) {
  const node = document.createElement(tag)
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v)
  if (text !== undefined) node.textContent = text
  return node
}
function point (radius, angle) { return (C + radius * Math.cos(angle)).toFixed(2) + ' ' + (C + radius * Math.sin(angle)).toFixed(2) }
function arcPath (from, to) {
  const large = to - from > Math.PI ? 1 : 0
  return 'M ' + point(R, from) + ' A ' + R + ' ' + R + ' 0 ' + large + ' 1 ' + point(R, to) +
    ' L ' + point(r, to) + ' A ' + r + ' ' + r + ' 0 ' + large + ' 0 ' + point(r, from) + ' Z'
}

function drawRing (group) {
  const svg = document.createElementNS(SVG, 'svg')
  svg.setAttribute('viewBox', '0 0 200 200'); svg.setAttribute('width', '200'); svg.setAttribute('height', '200')
  svg.setAttribute('role', 'img'); svg.setAttribute('aria-label', group.group + ' ring with ' + group.members.length + ' members')
  let angle = -Math.PI / 2
  for (const m of group.members) {
    // a single member (share 1) is drawn as two halves: an SVG arc cannot end where it starts
    const parts = m.share > 0.999 ? [[angle, angle + Math.PI], [angle + Math.PI, angle + 2 * Math.PI]] : [[angle, angle + m.share * 2 * Math.PI]]
    for (const [from, to] of parts) {
      const path = document.createElementNS(SVG, 'path')
      path.setAttribute('d', arcPath(from, to))
      path.setAttribute('class', 'arc ' + m.state)
      path.setAttribute('data-member', m.id)
      path.setAttribute('data-state', m.state)
      path.setAttribute('fill', 'hsl(' + hue(m.id) + ' 60% 55%)')
      const title = document.createElementNS(SVG, 'title')
      title.textContent = m.id + ' · ' + m.state + ' · ' + (100 * m.share).toFixed(1) + '%'
      path.appendChild(title)
      svg.appendChild(path)
    }
    angle += m.share * 2 * Math.PI
  }
  const label = document.createElementNS(SVG, 'text')
  label.setAttribute('x', C); label.setAttribute('y', C + 6); label.setAttribute('text-anchor', 'middle'); label.setAttribute('font-size', '20')
  label.setAttribute('class', 'count')
  label.textContent = String(group.members.length)
  svg.appendChild(label)
  return svg
}

function drawGroup (group) {
  const section = el('section', { class: 'group', 'data-group': group.group })
  section.appendChild(el('h2', {}, group.group))
  const suspects = group.members.filter(m => m.state === 'suspect').length
  section.appendChild(el('div', { class: 'agreement ' + (group.agreed ? 'agreed' : 'differ') },
    (group.agreed ? 'views agree' : 'views differ') + ' · ' + group.members.length + ' member(s)' + (suspects ? ' · ' + suspects + ' suspect' : '')))
  section.appendChild(el('div', { class: 'digest' }, 'digest ' + group.digest))
  section.appendChild(drawRing(group))
  const list = el('ul', { class: 'members' })
  for (const m of group.members) {
    const item = el('li', { class: 'member ' + m.state, 'data-member': m.id })
    const swatch = el('span', { class: 'swatch' }); swatch.style.background = 'hsl(' + hue(m.id) + ' 60% 55%)'
    item.appendChild(swatch)
    item.appendChild(el('code', { title: m.id }, short(m.id)))
    item.appendChild(el('span', {}, m.state + ' · ' + (100 * m.share).toFixed(1) + '%'))
    const agrees = m.advertised === group.digest
    item.appendChild(el('span', { class: 'advertised', title: 'digest it advertises: ' + (m.advertised || 'none yet') }, agrees ? '✓ same view' : '✗ sees ' + (m.advertised || 'nothing yet')))
    list.appendChild(item)
  }
  section.appendChild(list)
  return section
}

function render (state) {
  document.getElementById('watcher').textContent = 'watcher ' + short(state.id) + (state.watchers.length ? ' · ' + state.watchers.length + ' other watcher(s)' : '')
  document.getElementById('warnings').replaceChildren(...state.warnings.map(text => el('li', {}, text)))
  const groups = document.getElementById('groups')
  groups.replaceChildren(...(state.groups.length ? state.groups.map(drawGroup) : [el('p', { id: 'empty' }, 'No group heard of yet.')]))
  const timeline = document.getElementById('timeline')
  timeline.replaceChildren(...state.timeline.slice().reverse().map(entry => {
    const item = el('li', { 'data-event': entry.event, 'data-group': entry.group })
    if (entry.id) item.setAttribute('data-member', entry.id)
    if (entry.change) item.setAttribute('data-change', entry.change)
    item.appendChild(el('time', { datetime: new Date(entry.at).toISOString() }, new Date(entry.at).toLocaleTimeString()))
    item.appendChild(document.createTextNode(entry.text))
    return item
  }))
}

const status = document.getElementById('status')
const source = new EventSource('events')
source.addEventListener('state', e => { status.textContent = 'live'; status.className = 'live'; render(JSON.parse(e.data)) })
source.onerror = () => { status.textContent = 'reconnecting…'; status.className = '' }
</script>
</body>
</html>
`
