/* MitraSehat: small behaviours, all by event delegation so htmx-swapped content works too.
   - forms with data-confirm ask before submitting (destructive actions)
   - the region picker (templates/includes/_region_picker.html + _region_options.html), and its
     several-regions variant (partnerships/includes/_region_multi_picker.html, data-region-multiple)
   - formset rows added by htmx (data-formset-add) and removed in place (data-party-remove)
   - the partnership-type help follows the chosen type (data-type-help)
   - tabs that remember themselves in the address (data-tabs-hash)
   - the notification bell needs no script
   - copy to clipboard (data-copy-target)
   - programs: sparklines (data-sparkline), "select all" checkboxes (data-check-all[-toggle]),
     the approval queue's bulk button (data-bulk-form) and Return note (data-review-return…),
     selects that submit their form (data-autosubmit), print buttons (data-print), decimal
     keyboards and the ratio preview in the report form (data-decimal-inputs, data-ratio) */
(function () {
  "use strict";

  // --- Confirmation before destructive POSTs ------------------------------------------
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var message = (event.submitter && event.submitter.dataset.confirm) || form.dataset.confirm;
    if (message && !window.confirm(message)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  // Inputs marked data-quiet-change (the list search box, the region search box) already
  // trigger their own requests; their "change" on blur must not refresh the list again.
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.matches && (el.matches("[data-quiet-change]") || el.matches("[data-region-input]"))) {
      event.stopPropagation();
    }
  }, true);

  // --- Region picker ------------------------------------------------------------------
  function pickerOf(el) { return el.closest("[data-region-picker]"); }

  function closeOptions(picker) {
    var options = picker.querySelector("[data-region-options]");
    if (options) options.innerHTML = "";
    var input = picker.querySelector("[data-region-input]");
    if (input) input.setAttribute("aria-expanded", "false");
  }

  function setRegion(picker, code, path) {
    var hidden = picker.querySelector("[data-region-value]");
    var input = picker.querySelector("[data-region-input]");
    var clear = picker.querySelector("[data-region-clear]");
    var changed = hidden.value !== code;
    hidden.value = code;
    input.value = path;
    if (clear) clear.hidden = !code;
    closeOptions(picker);
    // Bubble a change so a surrounding htmx filter form reloads its results.
    if (changed) hidden.dispatchEvent(new Event("change", { bubbles: true }));
  }

  // Several regions: each pick adds a chip; the hidden input keeps the codes, comma-separated.
  function syncRegions(picker) {
    var codes = Array.prototype.map.call(
      picker.querySelectorAll("[data-region-chips] [data-code]"), function (chip) { return chip.dataset.code; });
    var hidden = picker.querySelector("[data-region-value]");
    var value = codes.join(",");
    if (hidden.value !== value) {
      hidden.value = value;
      hidden.dispatchEvent(new Event("change", { bubbles: true }));
    }
  }

  function addRegion(picker, option) {
    var chips = picker.querySelector("[data-region-chips]");
    var code = option.dataset.code;
    var input = picker.querySelector("[data-region-input]");
    var known = Array.prototype.some.call(chips.querySelectorAll("[data-code]"), function (chip) {
      return chip.dataset.code === code;
    });
    if (!known) {
      var chip = picker.querySelector("[data-region-chip-template]").content.firstElementChild.cloneNode(true);
      var nameEl = option.querySelector(".fw-medium");
      chip.dataset.code = code;
      chip.title = option.dataset.path + " · " + code;
      chip.querySelector("span").textContent = nameEl ? nameEl.textContent.trim() : option.dataset.path;
      var remove = chip.querySelector("[data-region-chip-remove]");
      remove.setAttribute("aria-label", remove.getAttribute("aria-label") + ": " + chip.querySelector("span").textContent);
      chips.appendChild(chip);
      syncRegions(picker);
    }
    input.value = "";
    closeOptions(picker);
  }

  function optionButtons(picker) {
    return Array.prototype.slice.call(picker.querySelectorAll("[data-region-option]"));
  }

  document.addEventListener("click", function (event) {
    var option = event.target.closest("[data-region-option]");
    if (option) {
      var picker = pickerOf(option);
      if (picker) {
        if (picker.hasAttribute("data-region-multiple")) addRegion(picker, option);
        else setRegion(picker, option.dataset.code, option.dataset.path);
        picker.querySelector("[data-region-input]").focus();
      }
      return;
    }
    var chipRemove = event.target.closest("[data-region-chip-remove]");
    if (chipRemove) {
      var chipPicker = pickerOf(chipRemove);
      chipRemove.closest("[data-code]").remove();
      syncRegions(chipPicker);
      chipPicker.querySelector("[data-region-input]").focus();
      return;
    }
    var clear = event.target.closest("[data-region-clear]");
    if (clear) {
      var p = pickerOf(clear);
      setRegion(p, "", "");
      p.querySelector("[data-region-input]").focus();
      return;
    }
    // A click anywhere else closes open suggestion lists.
    document.querySelectorAll("[data-region-picker]").forEach(function (picker) {
      if (!picker.contains(event.target)) closeOptions(picker);
    });
  });

  document.addEventListener("input", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("[data-region-input]")) return;
    // Emptying the box clears the chosen region (a several-regions picker keeps its chips).
    if (input.value.trim() === "") {
      var picker = pickerOf(input);
      if (picker.hasAttribute("data-region-multiple")) { closeOptions(picker); return; }
      if (picker.querySelector("[data-region-value]").value) setRegion(picker, "", "");
    }
  });

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    var picker = target.closest && target.closest("[data-region-picker]");
    if (!picker) return;
    var buttons = optionButtons(picker);
    var index = buttons.indexOf(target);
    if (event.key === "ArrowDown") {
      if (buttons.length) {
        event.preventDefault();
        buttons[Math.min(index + 1, buttons.length - 1)].focus();
      }
    } else if (event.key === "ArrowUp" && index >= 0) {
      event.preventDefault();
      if (index === 0) picker.querySelector("[data-region-input]").focus();
      else buttons[index - 1].focus();
    } else if (event.key === "Escape") {
      if (buttons.length) {
        event.preventDefault();
        closeOptions(picker);
        picker.querySelector("[data-region-input]").focus();
      }
    } else if (event.key === "Enter" && target.matches("[data-region-input]") && buttons.length) {
      // Enter in the search box picks the first suggestion.
      event.preventDefault();
      buttons[0].click();
    }
  });

  // Mark the search box expanded when suggestions arrive (htmx swap).
  document.addEventListener("htmx:afterSwap", function (event) {
    var options = event.target;
    if (!options.matches || !options.matches("[data-region-options]")) return;
    var picker = pickerOf(options);
    var input = picker && picker.querySelector("[data-region-input]");
    if (input) input.setAttribute("aria-expanded", options.children.length ? "true" : "false");
  });

  // --- Formset rows (the agreement's parties) --------------------------------------------
  // <button hx-get=".../row/" hx-target="#list" hx-swap="beforeend" data-formset-add="parties">
  // asks for the row numbered TOTAL_FORMS, then counts it in.
  function totalForms(prefix) { return document.getElementById("id_" + prefix + "-TOTAL_FORMS"); }

  document.addEventListener("htmx:configRequest", function (event) {
    var elt = event.detail.elt;
    if (!elt || !elt.matches || !elt.matches("[data-formset-add]")) return;
    var total = totalForms(elt.dataset.formsetAdd);
    if (total) event.detail.parameters.index = total.value;
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    var config = event.detail.requestConfig;
    var elt = config && config.elt;
    if (!elt || !elt.matches || !elt.matches("[data-formset-add]")) return;
    var total = totalForms(elt.dataset.formsetAdd);
    if (total) total.value = String(parseInt(total.value || "0", 10) + 1);
    var rows = event.detail.target.querySelectorAll("[data-party-row]");
    var row = rows[rows.length - 1];
    var first = row && row.querySelector("select, input:not([type=hidden]), textarea");
    if (first) first.focus();
  });

  // "Remove" ticks the row's DELETE box and hides it; the server ignores deleted rows.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-party-remove]");
    if (!button) return;
    var row = button.closest("[data-party-row]");
    var del = row.querySelector('input[type=checkbox][name$="-DELETE"]');
    if (del) del.checked = true;
    row.hidden = true;
    var list = row.parentElement;
    var add = list && list.parentElement.querySelector("[data-formset-add]");
    if (add) add.focus();
  });

  // --- Partnership-type help follows the chosen type ----------------------------------------
  document.addEventListener("change", function (event) {
    var select = event.target;
    if (!select.matches || !select.matches("select[name=partnership_type]")) return;
    var form = select.form || document;
    var help = form.querySelector("[data-type-help]");
    if (help) help.setAttribute("data-type-help", select.value);
  });

  // --- Tabs kept in the address (#pihak …), so reloads and redirects land on the same tab ---
  function showTabFromHash() {
    var hash = window.location.hash.replace(/^#/, "");
    if (!hash || !window.bootstrap) return;
    var button = document.querySelector('[data-tabs-hash] [data-hash="' + CSS.escape(hash) + '"]');
    if (!button || button.classList.contains("active")) return;
    // Switch without the fade, so the page opens on the tab rather than fading into it.
    var pane = document.querySelector(button.dataset.bsTarget);
    var panes = pane ? Array.prototype.slice.call(pane.parentElement.querySelectorAll(".tab-pane.fade")) : [];
    panes.forEach(function (el) { el.classList.remove("fade"); });
    window.bootstrap.Tab.getOrCreateInstance(button).show();
    panes.forEach(function (el) { el.classList.add("fade"); });
  }

  document.addEventListener("shown.bs.tab", function (event) {
    var button = event.target;
    if (!button.closest("[data-tabs-hash]") || !button.dataset.hash) return;
    var first = button.closest("[data-tabs-hash]").querySelector("[data-hash]");
    var url = window.location.pathname + window.location.search + (button === first ? "" : "#" + button.dataset.hash);
    window.history.replaceState(window.history.state, "", url);
  });

  window.addEventListener("hashchange", showTabFromHash);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", showTabFromHash);
  else showTabFromHash();

  // --- Copy to clipboard ------------------------------------------------------------------
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy-target]");
    if (!button) return;
    var source = document.querySelector(button.dataset.copyTarget);
    if (!source) return;
    var text = source.value !== undefined ? source.value : source.textContent;
    var label = button.querySelector("span") || button;
    var original = label.textContent;

    function done() {
      label.textContent = button.dataset.copiedLabel || original;
      button.classList.add("btn-success");
      setTimeout(function () {
        label.textContent = original;
        button.classList.remove("btn-success");
      }, 2000);
    }

    function fallback() {
      // Clipboard API needs a secure context (https or localhost); select and copy instead.
      source.focus();
      if (source.select) source.select();
      try { document.execCommand("copy"); done(); } catch (e) { /* the text stays selected for Ctrl+C */ }
    }

    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, fallback);
    } else {
      fallback();
    }
  });

  document.addEventListener("focusin", function (event) {
    if (event.target.matches && event.target.matches("[data-select-on-focus]")) event.target.select();
  });

  // --- Programs ---------------------------------------------------------------------------
  // Run once on the page and again on content htmx swaps in (started at the end of this file).
  function onContent(root) {
    drawSparklines(root);
    decimalKeyboards(root);
    root.querySelectorAll("[data-ratio]").forEach(updateRatioPreview);
    document.querySelectorAll("[data-bulk-form]").forEach(updateBulk);
  }

  // Sparkline: <svg data-sparkline="1 2 3" viewBox="0 0 W H"> gets a line (and a faint area)
  // through the values, the last one marked with a dot. One value: a dot.
  var SVG = "http://www.w3.org/2000/svg";
  function drawSparklines(root) {
    var svgs = root.matches && root.matches("svg[data-sparkline]") ? [root] : root.querySelectorAll("svg[data-sparkline]");
    Array.prototype.forEach.call(svgs, function (svg) {
      if (svg.dataset.drawn) return;
      var values = svg.dataset.sparkline.trim().split(/[\s;]+/).map(Number).filter(function (v) { return isFinite(v); });
      if (!values.length) return;
      var box = svg.viewBox.baseVal;
      var w = box && box.width ? box.width : 60, h = box && box.height ? box.height : 20, pad = 2.5;
      var min = Math.min.apply(null, values), max = Math.max.apply(null, values);
      var span = max - min;
      if (!span) { span = 1; min -= 0.5; } // a flat series: a line across the middle
      var step = values.length > 1 ? (w - 2 * pad) / (values.length - 1) : 0;
      var points = values.map(function (v, i) {
        var x = values.length > 1 ? pad + i * step : w / 2;
        var y = h - pad - ((v - min) / span) * (h - 2 * pad);
        return [Math.round(x * 10) / 10, Math.round(y * 10) / 10];
      });
      if (points.length > 1) {
        var area = document.createElementNS(SVG, "polygon");
        area.setAttribute("class", "ms-sparkline-area");
        area.setAttribute("points", points.map(function (p) { return p.join(","); }).join(" ") +
          " " + points[points.length - 1][0] + "," + (h - pad) + " " + points[0][0] + "," + (h - pad));
        svg.appendChild(area);
        var line = document.createElementNS(SVG, "polyline");
        line.setAttribute("points", points.map(function (p) { return p.join(","); }).join(" "));
        svg.appendChild(line);
      }
      var last = points[points.length - 1];
      var dot = document.createElementNS(SVG, "circle");
      dot.setAttribute("cx", last[0]);
      dot.setAttribute("cy", last[1]);
      dot.setAttribute("r", "2");
      svg.appendChild(dot);
      svg.dataset.drawn = "1";
    });
  }

  // Phones show a keyboard with a decimal separator for the report's numbers.
  // Saved values come back as "64.00": show them as "64" (and "12.50" as "12.5").
  function decimalKeyboards(root) {
    root.querySelectorAll("[data-decimal-inputs] input[type=number]").forEach(function (input) {
      input.setAttribute("inputmode", "decimal");
      if (/^-?\d+\.\d*0$/.test(input.value)) input.value = String(parseFloat(input.value));
    });
  }

  // Ratio indicators: "= 87,5%" under the numerator and denominator as they are typed.
  function updateRatioPreview(group) {
    var inputs = group.querySelectorAll("input[type=number]");
    var preview = group.parentElement.querySelector("[data-ratio-preview]");
    if (inputs.length < 2 || !preview) return;
    var n = parseFloat(inputs[0].value), d = parseFloat(inputs[1].value);
    var out = preview.querySelector("strong");
    if (!isFinite(n) || !isFinite(d) || d <= 0) { preview.hidden = true; return; }
    var lang = document.documentElement.lang || undefined;
    out.textContent = new Intl.NumberFormat(lang, { maximumFractionDigits: 1 }).format(n / d * 100) + "%";
    preview.hidden = false;
    preview.classList.toggle("text-danger", n > d);
  }
  document.addEventListener("input", function (event) {
    var group = event.target.closest && event.target.closest("[data-ratio]");
    if (group) updateRatioPreview(group);
  });

  // "Select all": a checkbox (data-check-all-toggle="name") follows and sets the boxes
  // data-check-all="name"; a button with the same attribute ticks them all (or none).
  function boxes(name) {
    return Array.prototype.filter.call(
      document.querySelectorAll('[data-check-all="' + CSS.escape(name) + '"]'), function (box) { return !box.disabled; });
  }
  function syncToggles(name) {
    var all = boxes(name), checked = all.filter(function (box) { return box.checked; }).length;
    document.querySelectorAll('input[type=checkbox][data-check-all-toggle="' + CSS.escape(name) + '"]').forEach(function (toggle) {
      toggle.checked = all.length > 0 && checked === all.length;
      toggle.indeterminate = checked > 0 && checked < all.length;
      toggle.disabled = all.length === 0;
    });
  }
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (!el.matches) return;
    if (el.matches("input[type=checkbox][data-check-all-toggle]")) {
      boxes(el.dataset.checkAllToggle).forEach(function (box) { box.checked = el.checked; });
    } else if (el.matches("[data-check-all]")) {
      syncToggles(el.dataset.checkAll);
    } else {
      return;
    }
    var form = el.closest("[data-bulk-form]");
    if (form) updateBulk(form);
  });
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button[data-check-all-toggle]");
    if (!button) return;
    var all = boxes(button.dataset.checkAllToggle);
    var every = all.length && all.every(function (box) { return box.checked; });
    all.forEach(function (box) { box.checked = !every; });
  });

  // Approval queue: the bulk button says how many are selected and waits for one.
  function updateBulk(form) {
    var count = form.querySelectorAll("input[name=updates]:checked").length;
    var button = form.querySelector("[data-bulk-submit]");
    var badge = form.querySelector("[data-bulk-count]");
    if (button) button.disabled = count === 0;
    if (badge) { badge.textContent = count; badge.hidden = count === 0; }
    syncToggles("updates");
  }

  // Approval queue: "Return" opens a note box in the row; an empty note is not sent.
  function returnPanel(el) {
    var row = el.closest(".ms-review-row");
    return row && row.querySelector("[data-review-return-panel]");
  }
  document.addEventListener("click", function (event) {
    var open = event.target.closest && event.target.closest("[data-review-return]");
    var cancel = event.target.closest && event.target.closest("[data-review-return-cancel]");
    var panel;
    if (open) {
      panel = returnPanel(open);
      if (!panel) return;
      panel.hidden = !panel.hidden;
      open.setAttribute("aria-expanded", String(!panel.hidden));
      if (!panel.hidden) panel.querySelector("textarea").focus();
    } else if (cancel) {
      panel = returnPanel(cancel);
      if (!panel) return;
      panel.hidden = true;
      var toggle = panel.closest(".ms-review-row").querySelector("[data-review-return]");
      if (toggle) { toggle.setAttribute("aria-expanded", "false"); toggle.focus(); }
    }
  });
  document.addEventListener("htmx:confirm", function (event) {
    var elt = event.detail.elt;
    if (!elt || !elt.matches || !elt.matches("[data-review-return-send]")) return;
    var note = returnPanel(elt).querySelector("textarea");
    if (!note.value.trim()) {
      event.preventDefault();
      note.classList.add("is-invalid");
      note.focus();
    }
  });
  document.addEventListener("input", function (event) {
    if (event.target.matches && event.target.matches("[data-review-return-panel] textarea")) event.target.classList.remove("is-invalid");
  });
  // A decided row no longer has a checkbox: recount after each swap.
  document.addEventListener("htmx:afterSwap", function () {
    document.querySelectorAll("[data-bulk-form]").forEach(updateBulk);
  });

  // A select that submits its (GET) form when changed, e.g. the organization on "My reports".
  document.addEventListener("change", function (event) {
    var select = event.target;
    if (!select.matches || !select.matches("select[data-autosubmit]") || !select.form) return;
    if (select.form.requestSubmit) select.form.requestSubmit(); else select.form.submit();
  });

  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-print]")) window.print();
  });

  // Last, once everything above is defined.
  document.addEventListener("htmx:load", function (event) { onContent(event.target); });
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", function () { onContent(document); });
  else onContent(document);
})();
