" Vim syntax file for schedc's .sched files, for Vim and for Neovim before 0.9 (from 0.9 on,
" Neovim colours the files with the language server's semantic tokens). It follows the
" TextMate grammar in editors/vscode/syntaxes; tests check that it knows every word of the language.
if exists("b:current_syntax")
  finish
endif
syntax case ignore

syntax keyword schedStatement user availability meeting holidays
syntax keyword schedKeyword tz slug
syntax keyword schedOff off closed
syntax keyword schedDay monday tuesday wednesday thursday friday saturday sunday
syntax keyword schedDay mon tue wed thu fri sat sun mo tu we th fr sa su weekdays weekends daily
syntax keyword schedChannel phone connect google zoom teamsForBusiness2 webex whereby kmeet jitsi local custom
syntax match schedChannel "\<\%(phone-incoming\|local-attendee\)\>"
syntax match schedTime "\<\d\+:\d\+\>"
syntax match schedDuration "\<\d\+\%(h\%(\d\+\%(min\|m\)\=\)\=\|min\|m\)\>"
syntax match schedZone "\%(\<tz\s\+\)\@<=\a[[:alnum:]_+-]*\%(/[[:alnum:]_+-]\+\)*"
syntax match schedRegion "\%(\<holidays\s\+\)\@<=\a[[:alnum:]]*\%(-[[:alnum:]]\+\)*"
syntax match schedSlug "\%(\<slug\s\+\)\@<=[^[:space:];#]\+"
syntax match schedEmail "<[^<>[:space:];#]*>"
syntax match schedPunctuation "[;,-]"
syntax region schedString start=+"+ skip=+\\\\\|\\"+ end=+"+ oneline
syntax match schedComment "#.*$" contains=@Spell

highlight default link schedStatement Statement
highlight default link schedKeyword Keyword
highlight default link schedOff Keyword
highlight default link schedDay Constant
highlight default link schedChannel Constant
highlight default link schedRegion Constant
highlight default link schedTime Number
highlight default link schedDuration Number
highlight default link schedZone Type
highlight default link schedSlug String
highlight default link schedEmail String
highlight default link schedString String
highlight default link schedPunctuation Delimiter
highlight default link schedComment Comment

let b:current_syntax = "sched"
