(()=>{console.log(1);})();
