/* MitraSehat: small behaviours, all by event delegation so htmx-swapped content works too.
   - forms with data-confirm ask before submitting (destructive actions)
   - the region picker (templates/includes/_region_picker.html + _region_options.html), and its
     several-regions variant (partnerships/includes/_region_multi_picker.html, data-region-multiple)
   - formset rows added by htmx (data-formset-add) and removed in place (data-party-remove)
   - the partnership-type help follows the chosen type (data-type-help)
   - tabs that remember themselves in the address (data-tabs-hash)
   - the notification bell needs no script
   - copy to clipboard (data-copy-target) */
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
})();
