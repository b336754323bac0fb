/* MitraSehat: small behaviours, all by event delegation so htmx-swapped content works too.
   - forms with data-confirm ask before submitting (destructive actions)
   - the region picker (templates/includes/_region_picker.html + _region_options.html)
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

  function optionButtons(picker) {
    return Array.prototype.slice.call(picker.querySelectorAll("[data-region-option]"));
  }

  document.addEventListener("click", function (event) {
    var option = event.target.closest("[data-region-option]");
    if (option) {
      var picker = pickerOf(option);
      if (picker) {
        setRegion(picker, option.dataset.code, option.dataset.path);
        picker.querySelector("[data-region-input]").focus();
      }
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
    // Emptying the box clears the chosen region.
    if (input.value.trim() === "") {
      var picker = pickerOf(input);
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
