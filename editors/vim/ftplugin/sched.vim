" schedc schedules: `#` comments; a zone name such as Europe/London is one word, so that
" completion before Neovim 0.11 (which completes the word before the cursor) finishes it whole.
if exists("b:did_ftplugin")
  finish
endif
let b:did_ftplugin = 1
setlocal commentstring=#\ %s comments=:# iskeyword+=/
let b:undo_ftplugin = "setlocal commentstring< comments< iskeyword<"
