// placeholder: the domain helper replaces this file
