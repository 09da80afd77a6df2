/**
 * The one script of the link pages (served as a file: the pages' CSP allows no inline script). It takes the token
 * from the address (fragment or query), removes it from the address bar, and posts it with the form's fields as JSON
 * to the form's API route when the person presses the button. Answers are shown as text, never as HTML.
 */
export const LINK_PAGE_SCRIPT = `'use strict';
(function () {
  var fromFragment = new URLSearchParams(window.location.hash.replace(/^#/, '')).get('token');
  var token = fromFragment || new URLSearchParams(window.location.search).get('token') || '';
  if (token && window.history && window.history.replaceState) {
    window.history.replaceState(null, '', window.location.pathname);
  }

  var main = document.querySelector('main');
  function words(name, fallback) {
    return (main && main.getAttribute(name)) || fallback;
  }

  function say(element, lines, isError) {
    element.textContent = '';
    lines.forEach(function (line) {
      var paragraph = document.createElement('p');
      paragraph.textContent = line;
      element.appendChild(paragraph);
    });
    element.className = isError ? 'result error' : 'result ok';
    element.hidden = false;
  }

  function shownFields(form, data) {
    var pairs = readJson(form.getAttribute('data-show') || '') || [];
    return pairs
      .map(function (pair) {
        var value = data && data[pair[0]];
        return value === undefined || value === null ? null : pair[1] + ': ' + String(value);
      })
      .filter(Boolean);
  }

  function problems(answer) {
    var data = answer.data || {};
    var failed = words('data-failed', 'The request failed (HTTP {status}).').replace('{status}', String(answer.status));
    var lines = [typeof data.message === 'string' ? data.message : failed];
    (Array.isArray(data.details) ? data.details : []).forEach(function (detail) {
      lines.push((detail.path ? detail.path + ': ' : '') + detail.reason);
    });
    return lines;
  }

  function readJson(text) {
    try {
      return text ? JSON.parse(text) : null;
    } catch (error) {
      return null;
    }
  }

  function bodyOf(form) {
    var body = { token: token };
    Array.prototype.forEach.call(form.elements, function (field) {
      if (field.name && field.type !== 'checkbox') body[field.name] = field.value;
    });
    return body;
  }

  var forms = document.querySelectorAll('form[data-action]');
  if (!token) {
    document.getElementById('no-token').hidden = false;
    Array.prototype.forEach.call(forms, function (form) {
      form.querySelector('button').disabled = true;
    });
    return;
  }

  Array.prototype.forEach.call(forms, function (form) {
    var button = form.querySelector('button');
    var result = form.querySelector('[data-result]');
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      var body = bodyOf(form);
      if ('password_again' in body) {
        if (body.password !== body.password_again) {
          say(result, [words('data-passwords-differ', 'The two passwords differ.')], true);
          return;
        }
        delete body.password_again;
      }
      button.disabled = true;
      fetch(form.getAttribute('data-action'), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify(body),
        credentials: 'omit',
        cache: 'no-store',
      })
        .then(function (response) {
          return response.text().then(function (text) {
            return { ok: response.ok, status: response.status, data: readJson(text) };
          });
        })
        .then(function (answer) {
          if (answer.ok) {
            say(result, [form.getAttribute('data-success')].concat(shownFields(form, answer.data)), false);
            button.disabled = form.hasAttribute('data-once');
          } else {
            say(result, problems(answer), true);
            button.disabled = false;
          }
        })
        .catch(function () {
          say(result, [words('data-unreachable', 'The portal could not be reached.')], true);
          button.disabled = false;
        });
    });
  });
})();
`;

/** Enough style to read the pages on a phone; served as a file like the script. */
export const LINK_PAGE_STYLE = `body { font: 16px/1.5 system-ui, sans-serif; margin: 0; color: #1b1b1b; background: #f6f7f9; }
main { max-width: 40rem; margin: 2rem auto; padding: 1.5rem; background: #fff; border-radius: 8px; }
h1 { font-size: 1.4rem; } h2 { font-size: 1.1rem; margin-top: 2rem; }
input[type=text], input[type=password], textarea { width: 100%; box-sizing: border-box; font: inherit; padding: .4rem; }
button { font: inherit; padding: .5rem 1rem; cursor: pointer; }
.result { padding: .5rem 1rem; border-radius: 6px; }
.result.ok { background: #e7f5ea; } .result.error { background: #fdecea; }
`;
