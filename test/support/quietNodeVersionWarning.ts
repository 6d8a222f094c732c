// Lambda runs Keystop on nodejs24.x; on the local Node 20 the SDK only warns that it will need Node 22 in 2027.
const [listener] = process.listeners('warning');
process.removeAllListeners('warning');
process.on('warning', (warning) => {
  if (!warning.message.includes('NodeVersionSupportWarning')) listener?.(warning);
});
