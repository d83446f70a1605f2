" schedc schedules: *.sched files
autocmd BufRead,BufNewFile *.sched setfiletype sched
